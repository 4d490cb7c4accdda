import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Constituency } from '@liexi/contracts';
import { Db, NotificationDispatcher, type NoticeRecipient } from '@liexi/platform';
import { In } from 'typeorm';
import { AccountEntity } from './account.entity';
import { ParticipantEntity } from './participant.entity';

/**
 * Look-ups other contexts need by id: who an account is (histories show who acted), the people
 * of a constituency (figure filters), and who a notice reaches (the dispatcher asks here: a
 * unit's active handlers, a participant's attendee account and private contact).
 */
@Injectable()
export class DirectoryLookupsService implements OnModuleInit {
  constructor(
    private readonly db: Db,
    private readonly dispatcher: NotificationDispatcher,
  ) {}

  onModuleInit(): void {
    this.dispatcher.useRecipients((type, id) => this.recipient(type, id));
  }

  /** Display names of accounts by id. */
  async accountNames(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.manager.find(AccountEntity, {
      where: { id: In([...new Set(ids)]) },
      select: { id: true, displayName: true },
    });
    return new Map(rows.map((a) => [a.id, a.displayName]));
  }

  /** The participants of a constituency, active or not (figures count what they proposed). */
  async participantIdsOf(constituency: Constituency): Promise<string[]> {
    const rows = await this.db.manager.find(ParticipantEntity, {
      where: { constituency },
      select: { id: true },
    });
    return rows.map((p) => p.id);
  }

  /** Attendee accounts of participants (histories hide an anonymous proposer's account). */
  async accountIdsOfParticipants(participantIds: string[]): Promise<string[]> {
    if (participantIds.length === 0) return [];
    const rows = await this.db.manager.find(AccountEntity, {
      where: { participantId: In(participantIds) },
      select: { id: true },
    });
    return rows.map((a) => a.id);
  }

  private async recipient(type: string, id: string): Promise<NoticeRecipient> {
    const m = this.db.manager;
    if (type === 'account') {
      const a = await m.findOne(AccountEntity, { where: { id, active: true }, select: { id: true } });
      return { accountIds: a ? [a.id] : [], contact: null };
    }
    if (type === 'unit') {
      const rows = await m.find(AccountEntity, { where: { unitId: id, active: true }, select: { id: true } });
      return { accountIds: rows.map((a) => a.id), contact: null };
    }
    const person = await m.findOne(ParticipantEntity, { where: { id } });
    const accounts = await m.find(AccountEntity, {
      where: { participantId: id, active: true },
      select: { id: true },
    });
    return { accountIds: accounts.map((a) => a.id), contact: person?.contact ?? null };
  }
}
