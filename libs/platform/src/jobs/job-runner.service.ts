import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Db } from '../database/db.service';
import { atLocalTime, localDay, nextDay } from '../time/local-day';
import { Clock } from './clock';
import { JobEntity } from './job.entity';

/** A job handler: runs inside the job's transaction, so its work commits iff the job completes. */
export type JobHandler = (payload: Record<string, unknown>, now: Date) => Promise<void>;

export interface ScheduleRequest {
  name: string;
  runAt: Date;
  payload?: Record<string, unknown>;
  /** One job per key: scheduling the same key again does nothing. */
  key?: string;
  maxAttempts?: number;
}

/**
 * A small durable job runner on PostgreSQL (pg-boss needs Node 22). Jobs live in `job` with a
 * `run_at`; `runDue(now)` claims due jobs one at a time with `FOR UPDATE SKIP LOCKED`, so
 * several api nodes (or the worker) never run one job twice; the claim, the handler's writes
 * and the completion are one transaction, so a crash leaves the job pending for the next run.
 * A failing handler rolls back and the job is retried with back-off until `max_attempts`.
 * Handlers must be idempotent anyway (a handler may run again after a crash mid-commit).
 */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('JobRunner');
  private readonly handlers = new Map<string, JobHandler>();
  private readonly startHooks: ((now: Date) => Promise<void>)[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  /** Set by `stop`: the job in hand finishes (its own transaction), no further one is claimed. */
  private stopping = false;

  constructor(
    private readonly db: Db,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  register(name: string, handler: JobHandler): void {
    this.handlers.set(name, handler);
  }

  /**
   * A job that runs once per local day (the app's time zone) at `at`: today's run is scheduled
   * when polling starts, and each run schedules tomorrow's in its own transaction (keyed by the
   * date, so however often that happens the day runs once). The handler may schedule
   * follow-ups of the same name under other keys, for work that does not fit one run.
   */
  daily(name: string, at: { hour: number; minute: number }, handler: JobHandler): void {
    this.register(name, async (payload, now) => {
      await handler(payload, now);
      const tomorrow = nextDay(localDay(now, this.config.timeZone));
      await this.schedule({
        name,
        runAt: atLocalTime(tomorrow, at.hour, at.minute, this.config.timeZone),
        key: `${name}:${tomorrow}`,
      });
    });
    this.onStart((now) => this.scheduleToday(name, now));
  }

  /** Makes sure a daily job runs today (now, unless it already ran or is scheduled today). */
  async scheduleToday(name: string, now: Date = this.clock.now()): Promise<void> {
    await this.schedule({ name, runAt: now, key: `${name}:${localDay(now, this.config.timeZone)}` });
  }

  /** Work to do when polling starts (e.g. make sure a recurring job is scheduled). */
  onStart(hook: (now: Date) => Promise<void>): void {
    this.startHooks.push(hook);
  }

  /** Schedules a job inside the running transaction (or on its own). */
  async schedule(req: ScheduleRequest): Promise<void> {
    await this.db.query(
      `INSERT INTO job (name, key, payload, run_at, max_attempts) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING`,
      [req.name, req.key ?? null, JSON.stringify(req.payload ?? {}), req.runAt, req.maxAttempts ?? 5],
    );
  }

  /** Runs every job due at `now` (at most `limit`); returns how many ran and failed. */
  async runDue(now: Date = this.clock.now(), limit = 500): Promise<{ done: number; failed: number }> {
    let done = 0;
    let failed = 0;
    for (let i = 0; i < limit && !this.stopping; i++) {
      let claimed: JobEntity | undefined;
      try {
        const outcome = await this.db.transaction(async () => {
          const manager = this.db.manager;
          const rows: JobEntity[] = await manager
            .createQueryBuilder(JobEntity, 'j')
            .where('j.status = :pending AND j.run_at <= :now', { pending: 'pending', now })
            .orderBy('j.run_at', 'ASC')
            .limit(1)
            .setLock('pessimistic_write')
            .setOnLocked('skip_locked')
            .getMany();
          claimed = rows[0];
          if (!claimed) return 'none' as const;
          const handler = this.handlers.get(claimed.name);
          if (!handler) throw new Error(`no handler for job ${claimed.name}`);
          await handler(claimed.payload, now);
          await manager.update(
            JobEntity,
            { id: claimed.id },
            { status: 'done', doneAt: this.clock.now(), attempts: claimed.attempts + 1 },
          );
          return 'done' as const;
        });
        if (outcome === 'none') break;
        done++;
      } catch (err) {
        if (!claimed) throw err;
        failed++;
        const attempts = claimed.attempts + 1;
        const message = err instanceof Error ? err.message : String(err);
        this.logger.warn(`job ${claimed.name} ${claimed.id} failed (attempt ${attempts}): ${message}`);
        await this.db.manager.update(
          JobEntity,
          { id: claimed.id },
          {
            attempts,
            lastError: message,
            status: attempts >= claimed.maxAttempts ? 'failed' : 'pending',
            runAt: new Date(now.getTime() + 60_000 * 2 ** (attempts - 1)),
          },
        );
      }
    }
    return { done, failed };
  }

  /** Starts polling unless JOBS_ENABLED=false. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.jobsEnabled) return;
    await this.start();
  }

  async start(): Promise<void> {
    if (this.timer) return;
    for (const hook of this.startHooks) await hook(this.clock.now());
    const tick = (): void => {
      if (this.running) return;
      this.running = this.runDue(this.clock.now())
        .catch((err: unknown) => this.logger.error(`job run failed: ${String(err)}`))
        .finally(() => {
          this.running = null;
        });
    };
    this.timer = setInterval(tick, this.config.jobsPollSeconds * 1000);
    this.timer.unref();
    tick();
    this.logger.log(`job runner polling every ${this.config.jobsPollSeconds}s`);
  }

  /** Graceful shutdown: no new poll, the job in hand finishes and commits, no further job is claimed. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }
}
