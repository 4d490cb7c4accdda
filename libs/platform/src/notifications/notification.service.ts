import { Injectable } from '@nestjs/common';
import { Db } from '../database/db.service';
import { NotificationDispatcher } from './notification-dispatcher.service';
import type { NotificationChannel } from './notification.entity';

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

/** The outbox: notices are written in the transaction of the change they announce. */
@Injectable()
export class NotificationService {
  constructor(
    private readonly db: Db,
    private readonly dispatcher: NotificationDispatcher,
  ) {}

  /**
   * Adds a notice to the outbox inside the running transaction (so it exists iff the change
   * does), with its delivery job (NotificationDispatcher).
   */
  async enqueue(req: NoticeRequest): Promise<void> {
    await this.db.transaction(async () => {
      const rows = await this.db.query<{ id: string; not_before: Date }>(
        `INSERT INTO notification (channel, recipient_type, recipient_id, address, topic, text_zh, text_en, dedupe_key, not_before)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, coalesce($9, now()))
         ON CONFLICT DO NOTHING RETURNING id, not_before`,
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
      const row = rows[0];
      if (row) await this.dispatcher.scheduleDelivery(row.id, row.not_before);
    });
  }
}
