import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  APP_CONFIG,
  type AppConfig,
  Clock,
  daysBefore,
  Db,
  EventLogService,
  JobRunner,
  localDay,
  meetingStream,
} from '@liexi/platform';

/** The daily sweep: finds meetings whose live event log is due for deletion. */
export const EVENT_LOG_SWEEP_JOB = 'meetings.event_log_sweep';
/** One meeting's live event log deleted, in that job's own transaction. */
export const EVENT_LOG_PRUNE_JOB = 'meetings.event_log_prune';
/** At most this many meetings are handed to prune jobs per sweep run (the rest by the next run). */
export const EVENT_LOG_SWEEP_BATCH = 100;
/** The daily sweep runs at this local time (quiet hours). */
const SWEEP_AT = { hour: 3, minute: 0 };

/** Where a sweep that hit its batch limit goes on: after this (closed_at, id). */
interface SweepCursor {
  closedAt: string;
  id: string;
}

/**
 * Retention of the live event log (`meeting:<id>` streams): once a meeting has been closed or
 * cancelled for more than `EVENT_RETENTION_DAYS` days, its events are deleted through
 * `EventLogService.prune` (the stream's last seq stays, so a late client gets a snapshot, never
 * a reused seq) and the meeting remembers when (`event_log_pruned_at`), so the sweep reads only
 * the meeting table and a second run finds nothing to do.
 *
 * Durable jobs: one sweep per local day (scheduled at start and by each sweep for the next
 * day), which hands each due meeting, at most EVENT_LOG_SWEEP_BATCH per run, to a prune job of
 * its own — each meeting is pruned in its own transaction, and a failing one is retried alone.
 */
@Injectable()
export class MeetingRetentionService implements OnModuleInit {
  constructor(
    private readonly db: Db,
    private readonly events: EventLogService,
    private readonly jobs: JobRunner,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.daily(EVENT_LOG_SWEEP_JOB, SWEEP_AT, async (payload, now) => {
      await this.sweep(now, cursorOf(payload));
    });
    this.jobs.register(EVENT_LOG_PRUNE_JOB, async (payload, now) => {
      await this.prune(String(payload.meetingId), now);
    });
  }

  /** Schedules today's sweep (once per local day, whoever asks). */
  ensureSweep(now: Date = this.clock.now()): Promise<void> {
    return this.jobs.scheduleToday(EVENT_LOG_SWEEP_JOB, now);
  }

  /**
   * Schedules a prune job for each meeting ended before the retention cutoff whose log is still
   * there (oldest first, at most `limit`, after `after`); then the next step: the rest of the
   * batch now, and tomorrow's sweep. Returns how many meetings were handed on.
   */
  async sweep(now: Date, after: SweepCursor | null = null, limit = EVENT_LOG_SWEEP_BATCH): Promise<number> {
    const due = await this.db.query<{ id: string; closed_at: string }>(
      `SELECT id, closed_at::text AS closed_at FROM meeting
       WHERE closed_at IS NOT NULL AND event_log_pruned_at IS NULL AND closed_at < $1
         AND ($2::timestamptz IS NULL OR (closed_at, id) > ($2::timestamptz, $3::uuid))
       ORDER BY closed_at, id LIMIT $4`,
      [this.cutoff(now), after?.closedAt ?? null, after?.id ?? null, limit],
    );
    const today = localDay(now, this.config.timeZone);
    for (const m of due)
      await this.jobs.schedule({
        name: EVENT_LOG_PRUNE_JOB,
        runAt: now,
        payload: { meetingId: m.id },
        // A day's prune job per meeting: scheduled twice it runs once; failed for good, it is tried again tomorrow.
        key: `${EVENT_LOG_PRUNE_JOB}:${m.id}:${today}`,
      });
    const last = due.at(-1);
    if (last && due.length === limit)
      await this.jobs.schedule({
        name: EVENT_LOG_SWEEP_JOB,
        runAt: now,
        payload: { after: { closedAt: last.closed_at, id: last.id } },
        key: `${EVENT_LOG_SWEEP_JOB}:${today}:after:${last.id}`,
      });
    return due.length;
  }

  /**
   * Deletes one meeting's live events (chunked) and records it, under the meeting's row lock.
   * Idempotent: a meeting not (or no longer) due is left alone. Returns the events deleted.
   */
  async prune(meetingId: string, now: Date): Promise<number> {
    return this.db.transaction(async () => {
      const due = await this.db.query<{ id: string }>(
        `SELECT id FROM meeting
         WHERE id = $1 AND closed_at IS NOT NULL AND closed_at < $2 AND event_log_pruned_at IS NULL
         FOR UPDATE`,
        [meetingId, this.cutoff(now)],
      );
      if (due.length === 0) return 0;
      const removed = await this.events.prune(meetingStream(meetingId));
      await this.db.query('UPDATE meeting SET event_log_pruned_at = $2 WHERE id = $1', [meetingId, now]);
      return removed;
    });
  }

  /** Meetings ended before this instant have had their retention time. */
  private cutoff(now: Date): Date {
    return daysBefore(now, this.config.retention.eventLogDays);
  }
}

function cursorOf(payload: Record<string, unknown>): SweepCursor | null {
  const after = payload.after as Partial<SweepCursor> | undefined;
  return after && typeof after.closedAt === 'string' && typeof after.id === 'string'
    ? { closedAt: after.closedAt, id: after.id }
    : null;
}
