import { Injectable } from '@nestjs/common';
import { Db } from '../database/db.service';
import { NotificationSender } from './notification-sender';
import type { NotificationChannel } from './notification.entity';
import { NotificationEntity } from './notification.entity';

export interface NoticeRequest {
  channel: NotificationChannel;
  recipientType: 'participant' | 'account' | 'unit';
  recipientId: string;
  address?: string | null;
  topic: string;
  text: { zh: string; en: string };
  /** One notice per key: enqueueing the same key again does nothing. */
  dedupeKey?: string;
  notBefore?: Date;
}

const MAX_ATTEMPTS = 5;

@Injectable()
export class NotificationService {
  constructor(
    private readonly db: Db,
    private readonly sender: NotificationSender,
  ) {}

  /** Adds a notice to the outbox inside the running transaction (so it exists iff the change does). */
  async enqueue(req: NoticeRequest): Promise<void> {
    await this.db.query(
      `INSERT INTO notification (channel, recipient_type, recipient_id, address, topic, text_zh, text_en, dedupe_key, not_before)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, coalesce($9, now()))
       ON CONFLICT DO NOTHING`,
      [
        req.channel,
        req.recipientType,
        req.recipientId,
        req.address ?? null,
        req.topic,
        req.text.zh,
        req.text.en,
        req.dedupeKey ?? null,
        req.notBefore ?? null,
      ],
    );
  }

  /**
   * Sends due notices, at most `limit`, each claimed with SKIP LOCKED so several nodes never
   * send one twice. A failed send is retried later, up to 5 attempts. Returns how many were sent.
   */
  async dispatchDue(limit = 100): Promise<{ sent: number; failed: number }> {
    let sent = 0;
    let failed = 0;
    for (let i = 0; i < limit; i++) {
      const outcome = await this.db.transaction(async () => {
        const manager = this.db.manager;
        const rows: NotificationEntity[] = await manager
          .createQueryBuilder(NotificationEntity, 'n')
          .where('n.status = :pending AND n.not_before <= now()', { pending: 'pending' })
          .orderBy('n.created_at', 'ASC')
          .limit(1)
          .setLock('pessimistic_write')
          .setOnLocked('skip_locked')
          .getMany();
        const n = rows[0];
        if (!n) return 'none' as const;
        try {
          await this.sender.send(n);
          await manager.update(
            NotificationEntity,
            { id: n.id },
            { status: 'sent', sentAt: new Date(), attempts: n.attempts + 1 },
          );
          return 'sent' as const;
        } catch (err) {
          const attempts = n.attempts + 1;
          await manager.update(
            NotificationEntity,
            { id: n.id },
            {
              attempts,
              lastError: err instanceof Error ? err.message : String(err),
              status: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending',
              notBefore: new Date(Date.now() + 60_000 * attempts),
            },
          );
          return 'failed' as const;
        }
      });
      if (outcome === 'none') break;
      if (outcome === 'sent') sent++;
      else failed++;
    }
    return { sent, failed };
  }
}
