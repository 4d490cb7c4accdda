import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { CONSTITUENCIES } from '@liexi/contracts';
import { DirectoryService } from '@liexi/directory';
import { APP_CONFIG, type AppConfig, Db } from '@liexi/platform';
import {
  SUMMARY_COMPACT_SQL,
  SUMMARY_LAYOUT,
  SUMMARY_REBUILD_RANGE_SQL,
  summaryDeltaSql,
} from './task-figure-summary';

/** A proposer's constituency `p.constituency` as its bit (`task_figure_fact.constituencies`). */
export const CONSTITUENCY_BIT = `CASE p.constituency ${CONSTITUENCIES.map((c, i) => `WHEN '${c}' THEN ${1 << i}`).join(' ')} ELSE 0 END`;

/** The bit of a constituency (as `CONSTITUENCY_BIT`); 0 for an unknown one. */
export function constituencyBit(constituency: string): number {
  const i = (CONSTITUENCIES as readonly string[]).indexOf(constituency);
  return i < 0 ? 0 : 1 << i;
}

/**
 * The statement that derives an item's figure facts from its records (FIGURES.md explains each
 * column). `$1` the item ids, `$2` the app's time zone (a reply's local date is compared with
 * the deadline). The deadline in force when the first reply was sent is the current deadline
 * rewound through the deadline changes decided after that moment.
 */
export const REFRESH_FACTS_SQL = `
INSERT INTO task_figure_fact AS f (task_item_id, lead_unit_id, meeting_id, agenda_item_id, task_class, state,
  assigned_at, deadline, deadline_pending, replied_at, replied_on_time, first_score, final_score, reopen_count,
  cooperating, contact, constituencies)
SELECT t.id, t.lead_unit_id, t.meeting_id, t.agenda_item_id, t.task_class, t.state,
  t.assigned_at, t.deadline, t.deadline_pending, r.first_sent,
  CASE WHEN r.first_sent IS NULL THEN NULL ELSE (r.first_sent AT TIME ZONE $2)::date <= coalesce(
    (SELECT c.previous_deadline FROM task_deadline_change c
     WHERE c.task_item_id = t.id AND c.status = 'approved' AND c.decided_at > r.first_sent
     ORDER BY c.decided_at LIMIT 1), t.deadline) END,
  e.first_score, e.final_score, t.reopen_count,
  EXISTS (SELECT 1 FROM task_cooperating_unit cu WHERE cu.task_item_id = t.id),
  coalesce((SELECT max(CASE WHEN k.kind IN ('visit', 'meeting', 'site') THEN 2 ELSE 1 END)
            FROM task_contact k WHERE k.task_item_id = t.id), 0),
  coalesce((SELECT bit_or(${CONSTITUENCY_BIT}) FROM task_proposer p WHERE p.task_item_id = t.id), 0)
FROM task_item t
LEFT JOIN LATERAL (SELECT min(sent_at) AS first_sent FROM task_reply
                   WHERE task_item_id = t.id AND sent_at IS NOT NULL) r ON true
LEFT JOIN LATERAL (
  SELECT min(score) FILTER (WHERE round = 1) AS first_score,
         min(score) FILTER (WHERE round = last_round) AS final_score
  FROM (SELECT round, max(round) OVER () AS last_round,
               CASE rating WHEN 'satisfied' THEN 2 WHEN 'basically_satisfied' THEN 1 ELSE 0 END AS score
        FROM task_evaluation WHERE task_item_id = t.id) x) e ON true
WHERE t.id = ANY($1::uuid[])
ON CONFLICT (task_item_id) DO UPDATE SET
  lead_unit_id = EXCLUDED.lead_unit_id, meeting_id = EXCLUDED.meeting_id,
  agenda_item_id = EXCLUDED.agenda_item_id, task_class = EXCLUDED.task_class, state = EXCLUDED.state,
  assigned_at = EXCLUDED.assigned_at, deadline = EXCLUDED.deadline,
  deadline_pending = EXCLUDED.deadline_pending, replied_at = EXCLUDED.replied_at,
  replied_on_time = EXCLUDED.replied_on_time, first_score = EXCLUDED.first_score,
  final_score = EXCLUDED.final_score, reopen_count = EXCLUDED.reopen_count,
  cooperating = EXCLUDED.cooperating, contact = EXCLUDED.contact, constituencies = EXCLUDED.constituencies`;

/** The facts re-derived and the summary moved by the difference, in one statement. */
const REFRESH_FACTS_AND_SUMMARY_SQL = summaryDeltaSql(`${REFRESH_FACTS_SQL}\nRETURNING f.*`);

/** Summary rows added since the last compaction after which this node compacts. */
const COMPACT_AFTER = 5000;
const SUMMARY_LOCK = `hashtext('liexi:task-figure-summary')`;

/**
 * Keeps `task_figure_fact` and `task_figure_summary` in step with the records: every change of
 * an item (TaskWriter), every rating and every change of a proposer's constituency re-derive
 * its facts and move its summary counts in the same transaction, with one statement per batch.
 * The summary is compacted now and then (after `COMPACT_AFTER` rows added here, at start and
 * after a rebuild), and rebuilt at start when its layout changed.
 */
@Injectable()
export class TaskFigureFacts implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('TaskFigureFacts');
  private added = 0;
  private compacting: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    directory: DirectoryService,
  ) {
    directory.onConstituencyChange((participantId, constituency) =>
      this.constituencyChanged(participantId, constituency),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureSummary();
  }

  /** A compaction under way finishes before the pool closes (it is one short statement). */
  async onModuleDestroy(): Promise<void> {
    await this.compacting;
  }

  async refresh(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const sorted = [...new Set(ids)].sort();
    const added = await this.db.transaction(async () => {
      // One refresh of an item at a time, so that the old facts counted out of the summary are
      // the ones the last refresh wrote (the item's own writes take the same lock first).
      await this.db.query(
        'SELECT 1 FROM task_item WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE',
        [sorted],
      );
      const rows = await this.db.query(REFRESH_FACTS_AND_SUMMARY_SQL, [sorted, this.config.timeZone]);
      return rows.length;
    });
    this.db.afterCommit(() => this.noteAdded(added));
  }

  /** In the directory's transaction: the participant's proposals count under their new constituency. */
  async constituencyChanged(participantId: string, constituency: string): Promise<void> {
    const rows = await this.db.query<{ id: string }>(
      'SELECT task_item_id AS id FROM task_proposer WHERE participant_id = $1 ORDER BY 1',
      [participantId],
    );
    await this.db.query('UPDATE task_proposer SET constituency = $2 WHERE participant_id = $1', [
      participantId,
      constituency,
    ]);
    for (let i = 0; i < rows.length; i += 5000) await this.refresh(rows.slice(i, i + 5000).map((r) => r.id));
  }

  /** Re-derives the rows of every item, in chunks (after a bulk load, or to check). Returns the count. */
  async rebuild(chunk = 5000): Promise<number> {
    let after = '00000000-0000-0000-0000-000000000000';
    let done = 0;
    for (;;) {
      const rows = await this.db.query<{ id: string }>(
        'SELECT id FROM task_item WHERE id > $1 ORDER BY id LIMIT $2',
        [after, chunk],
      );
      if (rows.length === 0) break;
      await this.db.transaction(() => this.refresh(rows.map((r) => r.id)));
      done += rows.length;
      after = (rows.at(-1) as { id: string }).id;
    }
    await this.compacting; // one started along the way holds the lock: after it, fold the rest
    await this.compact();
    return done;
  }

  /**
   * Folds each group's summary rows into one (one node at a time; a node that finds another
   * compacting leaves it to it). Returns the rows left, or null when another node was at it.
   */
  async compact(): Promise<number | null> {
    return this.db.transaction(async () => {
      const [lock] = await this.db.query<{ won: boolean }>(
        `SELECT pg_try_advisory_xact_lock(${SUMMARY_LOCK}) AS won`,
      );
      if (!lock.won) return null;
      await this.db.query(SUMMARY_COMPACT_SQL);
      const [left] = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM task_figure_summary');
      return left.n;
    });
  }

  /**
   * At start: rebuilds the summary from the facts when it was written with another layout (or
   * never), else compacts it. One node at a time: while another holds the summary's lock (a
   * compaction, or its own rebuild) this waits, up to `waitMs`, then looks again. The rebuild is
   * one snapshot (REPEATABLE READ: rows that writers add meanwhile are for changes it does not
   * see), in chunks of facts so that no statement runs long, with its progress in the log.
   */
  async ensureSummary(chunk = 100_000, waitMs = 600_000): Promise<void> {
    const t0 = Date.now();
    for (let attempt = 0; ; attempt++) {
      const rebuilt = await this.db.transaction(() => this.rebuildIfStale(chunk), 'REPEATABLE READ');
      if (rebuilt !== null) {
        const left = await this.compact();
        if (rebuilt) this.logger.log(`figure summary rebuilt: ${left ?? '?'} rows in ${Date.now() - t0} ms`);
        return;
      }
      if (attempt === 0)
        this.logger.log('figure summary: another node holds it; waiting to check its layout');
      if (Date.now() - t0 > waitMs)
        throw new Error(`figure summary: still held by another node after ${waitMs} ms; not started`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** In a REPEATABLE READ transaction: null when another holds the lock, else whether it rebuilt. */
  private async rebuildIfStale(chunk: number): Promise<boolean | null> {
    const [lock] = await this.db.query<{ won: boolean }>(
      `SELECT pg_try_advisory_xact_lock(${SUMMARY_LOCK}) AS won`,
    );
    if (!lock.won) return null;
    // A layout written since this snapshot was taken fails this (and the transaction is retried).
    const [row] = await this.db.query<{ layout: string }>(
      'SELECT layout FROM task_figure_summary_layout WHERE id = 1 FOR UPDATE',
    );
    if (row?.layout === SUMMARY_LAYOUT) return false;
    const bounds = await this.db.query<{ id: string }>(
      `SELECT task_item_id AS id FROM (
         SELECT task_item_id, row_number() OVER (ORDER BY task_item_id) AS i FROM task_figure_fact) x
       WHERE x.i % $1 = 0 ORDER BY 1`,
      [chunk],
    );
    this.logger.log(
      `figure summary: written with another layout; rebuilding from the facts in ${bounds.length + 1} chunks`,
    );
    await this.db.query('DELETE FROM task_figure_summary');
    const ends = [null, ...bounds.map((b) => b.id), null];
    for (let i = 0; i + 1 < ends.length; i++) {
      await this.db.query(SUMMARY_REBUILD_RANGE_SQL, [ends[i], ends[i + 1]]);
      if (ends.length > 3) this.logger.log(`figure summary: chunk ${i + 1} of ${ends.length - 1} counted`);
    }
    await this.db.query(
      `INSERT INTO task_figure_summary_layout (id, layout, built_at) VALUES (1, $1, now())
       ON CONFLICT (id) DO UPDATE SET layout = EXCLUDED.layout, built_at = EXCLUDED.built_at`,
      [SUMMARY_LAYOUT],
    );
    return true;
  }

  private noteAdded(rows: number): void {
    this.added += rows;
    if (this.added < COMPACT_AFTER || this.compacting) return;
    this.added = 0;
    this.compacting = this.db
      .detached(() => this.compact())
      .then(
        () => undefined,
        (err: unknown) => this.logger.warn(`figure summary compaction failed: ${String(err)}`),
      )
      .finally(() => {
        this.compacting = null;
      });
  }
}
