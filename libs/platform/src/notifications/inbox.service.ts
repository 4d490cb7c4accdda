import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import type { Actor } from '../auth/actor';
import { Db } from '../database/db.service';
import { notFound } from '../errors';
import { keysetPage, mapPage } from '../paging/keyset';
import type { Page } from '../paging/page';
import { InboxNoticeEntity } from './inbox-notice.entity';

export interface InboxNoticeView {
  id: string;
  topic: string;
  text: { zh: string; en: string };
  createdAt: string;
  readAt: string | null;
}

const view = (n: InboxNoticeEntity): InboxNoticeView => ({
  id: n.id,
  topic: n.topic,
  text: { zh: n.textZh, en: n.textEn },
  createdAt: n.createdAt.toISOString(),
  readAt: n.readAt?.toISOString() ?? null,
});

/** An account's inbox: its delivered notices, newest first, and marking them read. */
@Injectable()
export class InboxService {
  constructor(private readonly db: Db) {}

  async list(
    actor: Actor,
    q: { unread?: boolean; limit: number; cursor?: string },
  ): Promise<Page<InboxNoticeView>> {
    const qb = this.db.manager
      .createQueryBuilder(InboxNoticeEntity, 'n')
      .where('n.account_id = :account', { account: actor.accountId });
    if (q.unread) qb.andWhere('n.read_at IS NULL');
    const order = { column: 'n.created_at', type: 'timestamptz', id: 'n.id', direction: 'DESC' } as const;
    return mapPage(await keysetPage(qb, order, q), view);
  }

  async unreadCount(actor: Actor): Promise<number> {
    return this.db.manager.count(InboxNoticeEntity, {
      where: { accountId: actor.accountId, readAt: IsNull() },
    });
  }

  async markRead(actor: Actor, id: string): Promise<InboxNoticeView> {
    return this.db.transaction(async () => {
      const n = await this.db.manager.findOne(InboxNoticeEntity, {
        where: { id, accountId: actor.accountId },
      });
      if (!n) throw notFound('notice', id);
      if (!n.readAt) {
        n.readAt = new Date();
        await this.db.manager.update(InboxNoticeEntity, { id }, { readAt: n.readAt });
      }
      return view(n);
    });
  }

  async markAllRead(actor: Actor): Promise<{ marked: number }> {
    const res = await this.db.manager
      .createQueryBuilder()
      .update(InboxNoticeEntity)
      .set({ readAt: () => 'now()' })
      .where('account_id = :account AND read_at IS NULL', { account: actor.accountId })
      .execute();
    return { marked: res.affected ?? 0 };
  }
}
