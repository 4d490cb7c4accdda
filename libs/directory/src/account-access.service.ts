import { Injectable } from '@nestjs/common';
import type { Role } from '@liexi/contracts';
import { AccessChanges, type Actor, AuditService, Db, invalid, notFound } from '@liexi/platform';
import { AccountEntity } from './account.entity';

/** Taking an account out of use: it can no longer sign in, and its tokens stop working at once. */
@Injectable()
export class AccountAccessService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly access: AccessChanges,
  ) {}

  /** The account must exist, be active and have `role`; VALIDATION naming `field` otherwise. */
  async requireActive(accountId: string, role: Role, field: string): Promise<void> {
    const n = await this.db.manager.count(AccountEntity, { where: { id: accountId, role, active: true } });
    if (n === 0)
      throw invalid(`no active ${role} account ${accountId}`, { [field]: [`not an active ${role} account`] });
  }

  async deactivate(actor: Actor, accountId: string): Promise<Actor> {
    return this.db.transaction(async () => {
      const account = await this.db.manager.findOne(AccountEntity, {
        where: { id: accountId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!account) throw notFound('account', accountId);
      if (account.active) {
        await this.db.manager.update(AccountEntity, { id: accountId }, { active: false });
        await this.access.setSubject('account', accountId, true);
        await this.audit.record(actor, {
          action: 'account.deactivated',
          entityType: 'account',
          entityId: accountId,
          before: { active: true },
          after: { active: false },
        });
      }
      return {
        accountId: account.id,
        username: account.username,
        role: account.role,
        unitId: account.unitId,
        participantId: account.participantId,
      };
    });
  }
}
