import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Db } from '../database/db.service';
import { EventLogService } from '../events/event-log.service';
import { Clock } from '../jobs/clock';
import { NotificationSender } from './notification-sender';
import { NotificationEntity } from './notification.entity';

/** How often the dispatcher looks for due notices (each node; claims never collide). */
export const DISPATCH_INTERVAL_MS = 2000;
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
 * Delivers the notification outbox (the outbox rows are the durable queue). Every
 * DISPATCH_INTERVAL_MS, on every node that runs jobs, due notices are claimed one at a time
 * with `FOR UPDATE SKIP LOCKED` — two nodes never take the same one — and, in the claiming
 * transaction, put in the inbox of each account they reach (unit → its active handlers;
 * participant → their attendee account) with a `notice.received` event on that account's stream
 * (pushed on every node after commit), sent by SMS/e-mail through the `NotificationSender`, and
 * marked sent. Inbox rows are unique per (notice, account). A failed external send is recorded
 * and retried with exponential back-off (1, 2, 4, 8 min; `not_before`) up to 5 attempts, then
 * `failed`. The gateway gets the notice id as its idempotency key, so a retry after a send whose
 * commit was lost is not sent twice by a gateway that honours it.
 */
@Injectable()
export class NotificationDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Notifications');
  private resolve: RecipientResolver = () => Promise.resolve({ accountIds: [], contact: null });
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly db: Db,
    private readonly events: EventLogService,
    private readonly sender: NotificationSender,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Dispatches while the api runs jobs (JOBS_ENABLED). */
  onApplicationBootstrap(): void {
    if (!this.config.jobsEnabled) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.dispatchDue()
        .catch((err: unknown) => this.logger.error(`dispatch failed: ${String(err)}`))
        .finally(() => {
          this.running = null;
        });
    }, DISPATCH_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Delivers due notices, at most `limit`, each in its own transaction. */
  async dispatchDue(now: Date = this.clock.now(), limit = 200): Promise<{ sent: number; failed: number }> {
    let sent = 0;
    let failed = 0;
    for (let i = 0; i < limit; i++) {
      const outcome = await this.db.transaction(async () => {
        const [n] = await this.db.manager
          .createQueryBuilder(NotificationEntity, 'n')
          .where('n.status = :pending AND n.not_before <= :now', { pending: 'pending', now })
          .orderBy('n.not_before', 'ASC')
          .addOrderBy('n.id', 'ASC')
          .limit(1)
          .setLock('pessimistic_write')
          .setOnLocked('skip_locked')
          .getMany();
        return n ? this.deliver(n, now) : ('none' as const);
      });
      if (outcome === 'none') break;
      if (outcome === 'sent') sent++;
      else failed++;
    }
    return { sent, failed };
  }

  /** The directory tells who a recipient is (registered at boot: platform knows no accounts). */
  useRecipients(resolver: RecipientResolver): void {
    this.resolve = resolver;
  }

  /** One claimed notice (row locked by the caller's transaction). */
  private async deliver(n: NotificationEntity, now: Date): Promise<'sent' | 'failed'> {
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
        return 'failed';
      }
    }
    await this.db.manager.update(
      NotificationEntity,
      { id: n.id },
      { status: 'sent', sentAt: now, attempts: n.attempts + 1, address },
    );
    return 'sent';
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
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
