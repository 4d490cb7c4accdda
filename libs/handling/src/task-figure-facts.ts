import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, Db } from '@liexi/platform';

/**
 * The statement that derives an item's figure facts from its records (FIGURES.md explains each
 * column). `$1` the item ids, `$2` the app's time zone (a reply's local date is compared with
 * the deadline). The deadline in force when the first reply was sent is the current deadline
 * rewound through the deadline changes decided after that moment.
 */
export const REFRESH_FACTS_SQL = `
INSERT INTO task_figure_fact AS f (task_item_id, lead_unit_id, meeting_id, agenda_item_id, task_class, state,
  assigned_at, deadline, deadline_pending, replied_at, replied_on_time, first_score, final_score, reopen_count,
  cooperating, contact)
SELECT t.id, t.lead_unit_id, t.meeting_id, t.agenda_item_id, t.task_class, t.state,
  t.assigned_at, t.deadline, t.deadline_pending, r.first_sent,
  CASE WHEN r.first_sent IS NULL THEN NULL ELSE (r.first_sent AT TIME ZONE $2)::date <= coalesce(
    (SELECT c.previous_deadline FROM task_deadline_change c
     WHERE c.task_item_id = t.id AND c.status = 'approved' AND c.decided_at > r.first_sent
     ORDER BY c.decided_at LIMIT 1), t.deadline) END,
  e.first_score, e.final_score, t.reopen_count,
  EXISTS (SELECT 1 FROM task_cooperating_unit cu WHERE cu.task_item_id = t.id),
  coalesce((SELECT max(CASE WHEN k.kind IN ('visit', 'meeting', 'site') THEN 2 ELSE 1 END)
            FROM task_contact k WHERE k.task_item_id = t.id), 0)
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
  cooperating = EXCLUDED.cooperating, contact = EXCLUDED.contact`;

/**
 * Keeps `task_figure_fact` in step with the records: every change of an item (TaskWriter) and
 * every rating re-derive its row in the same transaction, with one statement per batch.
 */
@Injectable()
export class TaskFigureFacts {
  constructor(
    private readonly db: Db,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async refresh(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query(REFRESH_FACTS_SQL, [[...new Set(ids)].sort(), this.config.timeZone]);
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
      if (rows.length === 0) return done;
      await this.db.transaction(() => this.refresh(rows.map((r) => r.id)));
      done += rows.length;
      after = (rows.at(-1) as { id: string }).id;
    }
  }
}
