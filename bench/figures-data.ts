/* The figures benches' data set, written with SQL (generate_series) into a migrated database:
 * `units` units, 200 meetings over 2024 (one agenda item each), 3,000 participants, `items` task
 * items spread evenly over the year by number with replies, ratings, contacts, proposers and
 * cooperating units in fixed patterns (see each statement). Used by bench/figures.ts and
 * bench/ledger-export.ts. */
import { performance } from 'node:perf_hooks';
import type { Client } from 'pg';

const ms = (x: number): string => `${x.toFixed(1)} ms`;
const MEETINGS = 200;
export const YEAR_START = Date.parse('2024-01-01T00:00:00+08:00');
export const YEAR_MS = 365 * 86_400_000;

/** The data set, all in SQL (generate_series): items spread evenly over 2024 by number. */
export async function generate(db: Client, items: number, units: number): Promise<void> {
  const step = async (what: string, sql: string, params: unknown[] = []): Promise<void> => {
    const t0 = performance.now();
    const r = await db.query(sql, params);
    console.log(`  ${what}: ${r.rowCount ?? 0} rows in ${ms(performance.now() - t0)}`);
  };
  await step('units', `INSERT INTO unit (name) SELECT '单位' || g FROM generate_series(1, $1) g`, [units]);
  await step(
    'meetings',
    `INSERT INTO meeting (kind, title, starts_at, ends_at, status)
     SELECT CASE WHEN g % 4 = 0 THEN 'assignment' ELSE 'executive' END, '第' || g || '次会议',
            $2::timestamptz + (g - 1) * interval '1 day' * (365.0 / $1),
            $2::timestamptz + (g - 1) * interval '1 day' * (365.0 / $1) + interval '2 hours', 'adjourned'
     FROM generate_series(1, $1) g`,
    [MEETINGS, new Date(YEAR_START)],
  );
  await step(
    'agenda items',
    `INSERT INTO agenda_item (meeting_id, position, title, category)
     SELECT m.id, 1, m.title || '议题', (ARRAY['key_work', 'major_matter', 'important_document'])[1 + (row_number() OVER (ORDER BY m.id))::int % 3]
     FROM meeting m`,
  );
  await step(
    'participants',
    `INSERT INTO participant (name, constituency) SELECT '委员' || g, CASE WHEN g % 5 = 0 THEN 'deputy' ELSE 'cppcc_member' END
     FROM generate_series(1, 3000) g`,
  );
  await db.query(`CREATE TEMP TABLE u AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM unit`);
  await db.query(`CREATE TEMP TABLE m AS SELECT row_number() OVER (ORDER BY m.starts_at) AS n, m.id, a.id AS agenda_id
                  FROM meeting m JOIN agenda_item a ON a.meeting_id = m.id`);
  await db.query(
    `CREATE TEMP TABLE p AS SELECT row_number() OVER (ORDER BY id) AS n, id, constituency FROM participant`,
  );
  await db.query(
    'CREATE INDEX ON u (n); CREATE INDEX ON m (n); CREATE INDEX ON p (n); ANALYZE u; ANALYZE m; ANALYZE p',
  );
  // State by g % 20: 0-1 in progress, 2 evaluated, the rest closed; class 68 % A, 29 % B, 3 % C.
  await step(
    'task items',
    `INSERT INTO task_item (meeting_id, agenda_item_id, problem, lead_unit_id, measure, deadline, close_out_standard,
       task_class, class_reason, urgency, state, reopen_count, assigned_at, closed_at, created_at)
     SELECT m.id, m.agenda_id, '第' || g || '号事项', u.id, '办理措施',
            ((to_timestamp($3::float8 / 1000.0 + (g - 1) * $4::float8 / $1 / 1000.0) AT TIME ZONE 'Asia/Shanghai')::date + 60),
            '问题解决到位',
            CASE WHEN g % 100 < 68 THEN 'A' WHEN g % 100 < 97 THEN 'B' ELSE 'C' END,
            CASE WHEN g % 100 >= 97 THEN '受政策限制' END, 'long_term',
            CASE WHEN g % 20 < 2 THEN 'in_progress' WHEN g % 20 = 2 THEN 'evaluated' ELSE 'closed' END,
            CASE WHEN g % 13 = 0 THEN 1 ELSE 0 END,
            to_timestamp($3::float8 / 1000.0 + (g - 1) * $4::float8 / $1 / 1000.0),
            CASE WHEN g % 20 >= 3 THEN to_timestamp($3::float8 / 1000.0 + (g - 1) * $4::float8 / $1 / 1000.0) + interval '90 days' END,
            to_timestamp($3::float8 / 1000.0 + (g - 1) * $4::float8 / $1 / 1000.0)
     FROM generate_series(1, $1) g
     JOIN u ON u.n = 1 + g % $2
     JOIN m ON m.n = 1 + (g - 1) * ${MEETINGS}::bigint / $1`,
    [items, units, YEAR_START, YEAR_MS],
  );
  await db.query(
    `CREATE TEMP TABLE t AS SELECT row_number() OVER (ORDER BY assigned_at, id) AS g, id, state, assigned_at FROM task_item`,
  );
  await step(
    'proposers',
    `INSERT INTO task_proposer (task_item_id, participant_id, constituency) SELECT t.id, p.id, p.constituency FROM t JOIN p ON p.n = 1 + t.g % 3000`,
  );
  await step(
    'cooperating units',
    `INSERT INTO task_cooperating_unit (task_item_id, unit_id) SELECT t.id, u.id FROM t JOIN u ON u.n = 1 + (t.g + 1) % $1 WHERE t.g % 100 < 86`,
    [units],
  );
  const account = (
    await db.query<{ id: string }>(
      `INSERT INTO account (username, password_hash, role, display_name) VALUES ('bench', 'x', 'secretariat', 'bench') RETURNING id`,
    )
  ).rows[0].id;
  await step(
    'replies',
    `INSERT INTO task_reply (task_item_id, round, body, drafted_by, approved_by, approved_at, sent_at)
     SELECT t.id, 1, '已办理', $1, $1, t.assigned_at + interval '1 day' * (CASE WHEN t.g % 7 = 0 THEN 75 ELSE 30 END),
            t.assigned_at + interval '1 day' * (CASE WHEN t.g % 7 = 0 THEN 75 ELSE 30 END)
     FROM t WHERE t.state <> 'in_progress'`,
    [account],
  );
  await step(
    'evaluations',
    `INSERT INTO task_evaluation (task_item_id, participant_id, round, rating)
     SELECT t.id, p.id, 1, CASE WHEN t.g % 13 = 0 THEN 'unsatisfied' WHEN t.g % 4 = 0 THEN 'basically_satisfied' ELSE 'satisfied' END
     FROM t JOIN p ON p.n = 1 + t.g % 3000 WHERE t.state <> 'in_progress'`,
  );
  await step(
    'contacts',
    `INSERT INTO task_contact (task_item_id, kind, contacted_on, recorded_by)
     SELECT t.id, CASE WHEN t.g % 17 = 0 THEN 'phone' ELSE 'visit' END, (t.assigned_at + interval '5 days')::date, $1
     FROM t WHERE t.g % 50 <> 5`,
    [account],
  );
}
