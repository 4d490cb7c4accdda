import { Injectable } from '@nestjs/common';
import { Db } from '../database/db.service';
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
  constructor(private readonly db: Db) {}

  /**
   * Adds a notice to the outbox inside the running transaction (so it exists iff the change
   * does); the NotificationDispatcher delivers it.
   */
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
}
