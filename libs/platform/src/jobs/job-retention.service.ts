import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Db } from '../database/db.service';
import { Clock } from './clock';
import { JobRunner } from './job-runner.service';

export const RETENTION_JOB = 'jobs.retention';

const DAY_MS = 86_400_000;
/** Rows per DELETE statement. */
export const RETENTION_CHUNK = 1000;
/** Chunks per job (one transaction); more left → a follow-up job, due at once, takes the rest. */
export const RETENTION_CHUNKS_PER_RUN = 10;
/** When the daily run is due: a quiet hour in APP_TIME_ZONE. */
const RUN_AT = { hour: 3, minute: 15 };

/**
 * Retention of the job table: a durable daily platform job deletes jobs that are `done` and
 * whose `done_at` is older than JOB_RETENTION_DAYS, in chunks. Pending jobs are work still to
 * do and failed ones are evidence to look at: neither is ever deleted here.
 *
 * Scheduled like the supervision scan: one job per local date (`jobs.retention:<date>`), made
 * sure of when the runner starts, and each run schedules the next day's. A run deletes at most
 * RETENTION_CHUNKS_PER_RUN × RETENTION_CHUNK rows in its job's transaction; when more are left
 * it schedules a follow-up due at once, so no transaction grows with the backlog.
 *
 * A dedupe key is remembered only as long as its job's row: once a done job is deleted, its key
 * may be scheduled again. The keys in use are per date (scans, this job) or guarded by the
 * handler's own state (a re-inspection is announced once: `notified_at`), so none relies on
 * a key older than the retention.
 */
@Injectable()
export class JobRetention implements OnModuleInit {
  constructor(
    private readonly db: Db,
    private readonly jobs: JobRunner,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.daily(RETENTION_JOB, RUN_AT, async (_payload, now) => {
      await this.run(now);
    });
  }

  /** Makes sure today's run is scheduled (idempotent per local date). */
  ensureScheduled(now: Date = this.clock.now()): Promise<void> {
    return this.jobs.scheduleToday(RETENTION_JOB, now);
  }

  /** Done jobs older than this instant are deleted by a run at `now`. */
  cutoff(now: Date): Date {
    return new Date(now.getTime() - this.config.retention.doneJobDays * DAY_MS);
  }

  /** The job's handler (inside the job's transaction). Returns how many jobs it deleted. */
  async run(now: Date): Promise<number> {
    const cutoff = this.cutoff(now);
    let removed = 0;
    let more = true;
    for (let i = 0; i < RETENTION_CHUNKS_PER_RUN && more; i++) {
      const n = await this.deleteChunk(cutoff);
      removed += n;
      more = n === RETENTION_CHUNK;
    }
    if (more) await this.jobs.schedule({ name: RETENTION_JOB, runAt: now, payload: { followUp: true } });
    return removed;
  }

  /** One DELETE of at most RETENTION_CHUNK done jobs finished before `cutoff`, oldest first. */
  private async deleteChunk(cutoff: Date): Promise<number> {
    const rows = await this.db.query<{ n: number }>(
      `WITH gone AS (
         DELETE FROM job WHERE id IN (
           SELECT id FROM job WHERE status = 'done' AND done_at < $1
           ORDER BY done_at LIMIT $2 FOR UPDATE SKIP LOCKED
         ) RETURNING 1
       ) SELECT count(*)::int AS n FROM gone`,
      [cutoff, RETENTION_CHUNK],
    );
    return rows[0]?.n ?? 0;
  }
}
