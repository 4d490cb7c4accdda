import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Db } from '../database/db.service';
import { EventLogService } from '../events/event-log.service';
import { JobRunner } from '../jobs/job-runner.service';
import { NotificationSender } from './notification-sender';
import { NotificationEntity } from './notification.entity';

export const DELIVER_JOB = 'notification.deliver';
/** Sends that fail are tried again after 1, 2, 4, 8 … minutes, this many times in all. */
export const MAX_SEND_ATTEMPTS = 5;
/** An external send (SMS gateway) gets this long before it counts as failed. */
export const SEND_TIMEOUT_MS = 10_000;

/** Who a notice reaches: the accounts whose inbox gets it, and a private contact for SMS/e-mail. */
export interface NoticeRecipient {
  accountIds: string[];
  contact: string | null;
}
export type RecipientResolver = (recipientType: string, recipientId: string) => Promise<NoticeRecipient>;

/** The stream of an account's inbox pushes (`notice.received`), published on every node. */
export const inboxStream = (accountId: string): string => `inbox:${accountId}`;
const INBOX_STREAM = /^inbox:([0-9a-f-]{36})$/i;
export const accountOfInboxStream = (stream: string): string | null => INBOX_STREAM.exec(stream)?.[1] ?? null;

/**
 * Delivers the notification outbox. Every notice enqueued schedules its own durable job (in
 * the enqueuing transaction); the job, in its transaction, locks the notice, puts it in the
 * inbox of each account it reaches (unit → its active handlers; participant → their attendee
 * account) with a `notice.received` event on that account's stream (pushed on every node after
 * commit), sends SMS/e-mail through the `NotificationSender`, and marks it sent. A notice is
 * delivered once: the job is claimed by one runner (SKIP LOCKED), the notice row is locked and
 * its status checked, inbox rows are unique per (notice, account). A failed external send is
 * recorded and retried with exponential back-off (1, 2, 4, 8 min) up to 5 attempts, then
 * `failed`; the gateway gets the notice id as its idempotency key, so a retry after a send whose
 * commit was lost is not sent twice by a gateway that honours it.
 */
@Injectable()
export class NotificationDispatcher implements OnModuleInit {
  private readonly logger = new Logger('Notifications');
  private resolve: RecipientResolver = () => Promise.resolve({ accountIds: [], contact: null });

  constructor(
    private readonly db: Db,
    private readonly jobs: JobRunner,
    private readonly events: EventLogService,
    private readonly sender: NotificationSender,
  ) {}

  onModuleInit(): void {
    this.jobs.register(DELIVER_JOB, (payload, now) => this.deliver(String(payload.id), now));
  }

  /** The directory tells who a recipient is (registered at boot: platform knows no accounts). */
  useRecipients(resolver: RecipientResolver): void {
    this.resolve = resolver;
  }

  /** In the enqueuing transaction: the notice's delivery job. */
  async scheduleDelivery(id: string, at: Date, attempt = 0): Promise<void> {
    await this.jobs.schedule({
      name: DELIVER_JOB,
      runAt: at,
      key: `notification:${id}:${attempt}`,
      payload: { id },
    });
  }

  /** The job: delivers one notice (nothing when it was delivered or given up already). */
  async deliver(id: string, now: Date): Promise<void> {
    const n = await this.db.manager.findOne(NotificationEntity, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!n || n.status !== 'pending') return;
    const to = await this.resolve(n.recipientType, n.recipientId);
    for (const accountId of [...new Set(to.accountIds)].sort()) {
      const rows = await this.db.query<{ id: string; created_at: Date }>(
        `INSERT INTO inbox_notice (account_id, notification_id, topic, text_zh, text_en)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id, created_at`,
        [accountId, n.id, n.topic, n.textZh, n.textEn],
      );
      const row = rows[0];
      if (row)
        await this.events.append(inboxStream(accountId), 'notice.received', {
          id: row.id,
          topic: n.topic,
          text: { zh: n.textZh, en: n.textEn },
          createdAt: row.created_at.toISOString(),
        });
    }
    const address = n.address ?? (n.channel === 'inbox' ? null : to.contact);
    if (n.channel !== 'inbox' && address) {
      try {
        await withTimeout(this.sender.send({ ...n, address }), SEND_TIMEOUT_MS);
      } catch (err) {
        await this.failed(n, err, now);
        return;
      }
    }
    await this.db.manager.update(
      NotificationEntity,
      { id: n.id },
      { status: 'sent', sentAt: now, attempts: n.attempts + 1, address },
    );
  }

  private async failed(n: NotificationEntity, err: unknown, now: Date): Promise<void> {
    const attempts = n.attempts + 1;
    const message = err instanceof Error ? err.message : String(err);
    const retryAt = new Date(now.getTime() + 60_000 * 2 ** (attempts - 1));
    const gaveUp = attempts >= MAX_SEND_ATTEMPTS;
    this.logger.warn(`notice ${n.id} (${n.channel}) failed, attempt ${attempts}: ${message}`);
    await this.db.manager.update(
      NotificationEntity,
      { id: n.id },
      {
        attempts,
        lastError: message.slice(0, 500),
        status: gaveUp ? 'failed' : 'pending',
        notBefore: retryAt,
      },
    );
    if (!gaveUp) await this.scheduleDelivery(n.id, retryAt, attempts);
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
