/* Prints figures for the insights module on a real (embedded) PostgreSQL at scale: task items
 * in units (default 1,000,000 in 3,000 — the issue's target) written with SQL, their figure
 * facts derived (TaskFigureFacts.rebuild, timed), then
 *   - GET /api/figures' work (FiguresService.overview) under each filter: p50 / p95 / max;
 *   - a drill-down's first page (FiguresService.items);
 *   - the ledger .xlsx (LedgerExportService, exceljs streaming writer) of `exportRows` rows to
 *     a file: time and the process's peak RSS over its baseline (sampled every 20 ms).
 * No assertions: run it and read the numbers. Sizes are parameters:
 *
 *   npm run build && node dist/bench/figures.js [items=1000000] [units=3000] [exportRows=100000] [reps=30]
 *   (npm run bench:figures -- 100000 3000 100000)
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { HandlingFiguresService, TaskFigureFacts } from '@liexi/handling';
import { InputFiguresService } from '@liexi/live';
import { MeetingFiguresService } from '@liexi/meetings';
import { type FigureQuery, FiguresService, LedgerExportService } from '@liexi/insights';
import { Db, loadConfig, runMigrations, startEmbeddedPostgres } from '@liexi/platform';
import { createApp } from '../apps/api/src/bootstrap';

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const ms = (x: number): string => `${x.toFixed(1)} ms`;
const mb = (x: number): string => `${(x / 1024 / 1024).toFixed(0)} MB`;
const MEETINGS = 200;
const YEAR_START = Date.parse('2024-01-01T00:00:00+08:00');
const YEAR_MS = 365 * 86_400_000;

/** The data set, all in SQL (generate_series): items spread evenly over 2024 by number. */
async function generate(db: Client, items: number, units: number): Promise<void> {
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
  await db.query(`CREATE TEMP TABLE p AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM participant`);
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
    `INSERT INTO task_proposer (task_item_id, participant_id) SELECT t.id, p.id FROM t JOIN p ON p.n = 1 + t.g % 3000`,
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

async function timeIt<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await fn();
  return [performance.now() - t0, r];
}

async function main(): Promise<void> {
  const items = Number(process.argv[2] ?? 1_000_000);
  const units = Number(process.argv[3] ?? 3000);
  const exportRows = Number(process.argv[4] ?? 100_000);
  const reps = Number(process.argv[5] ?? 30);
  const dir = mkdtempSync(join(tmpdir(), 'liexi-bench-figures-'));
  const pg = await startEmbeddedPostgres({ dir, database: 'liexi_bench', persistent: false });
  const db = new Client({ connectionString: pg.url });
  try {
    await runMigrations(pg.url);
    await db.connect();
    console.log(`figures bench: ${items} task items in ${units} units (node ${process.version})`);
    let t0 = performance.now();
    await generate(db, items, units);
    console.log(`data written in ${ms(performance.now() - t0)}`);
    const config = loadConfig({
      NODE_ENV: 'test',
      JWT_SECRET: 'bench-secret-bench-secret-bench-0123',
      SEED_DEMO: 'false',
      JOBS_ENABLED: 'false',
    });
    const app = await createApp(config, pg.url, { logger: false });
    await app.init();
    t0 = performance.now();
    const facts = await app.get(TaskFigureFacts).rebuild(20_000);
    console.log(`figure facts derived for ${facts} items in ${ms(performance.now() - t0)}`);
    await db.query('VACUUM ANALYZE');

    const figures = app.get(FiguresService);
    if (process.env.TRACE) {
      const dbs = app.get(Db);
      const q = dbs.query.bind(dbs);
      (dbs as { query: unknown }).query = async (sql: string, params?: unknown[]) => {
        const t1 = performance.now();
        const r = await q(sql, params);
        console.log(`    ${ms(performance.now() - t1)} ${sql.replace(/\s+/g, ' ').slice(0, 100)}`);
        if (
          process.env.TRACE === 'explain' &&
          /task_figure_fact f WHERE/.test(sql) &&
          !sql.startsWith('EXPLAIN')
        )
          console.log(
            (await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ANALYZE ${sql}`, params)).rows
              .map((x) => x['QUERY PLAN'])
              .join('\n'),
          );
        return r;
      };
    }
    const year: FigureQuery = { from: new Date(YEAR_START), to: new Date(YEAR_START + YEAR_MS) };
    const unitId = (await db.query<{ id: string }>('SELECT id FROM unit ORDER BY id LIMIT 1')).rows[0].id;
    const meetingId = (
      await db.query<{ id: string }>('SELECT id FROM meeting ORDER BY starts_at LIMIT 1 OFFSET 100')
    ).rows[0].id;
    const cases: [string, FigureQuery][] = [
      ['no filter', {}],
      ['year', year],
      ['year + unit', { ...year, unitId }],
      ['year + class B', { ...year, taskClass: 'B' }],
      ['meeting', { meetingId }],
      ['meeting kind', { ...year, meetingKind: 'assignment' }],
      ['category', { ...year, category: 'major_matter' }],
      ['constituency', { ...year, constituency: 'deputy' }],
      [
        'one month',
        { from: new Date('2024-06-01T00:00:00+08:00'), to: new Date('2024-07-01T00:00:00+08:00') },
      ],
    ];
    const all: number[] = [];
    for (const [name, q] of cases) {
      for (let i = 0; i < 3; i++) await figures.overview(q); // warm-up
      const times: number[] = [];
      let total = 0;
      for (let i = 0; i < reps; i++) {
        const [t, o] = await timeIt(() => figures.overview(q));
        times.push(t);
        total = o.figures.find((f) => f.code === 'assigned')?.total ?? 0;
      }
      all.push(...times);
      console.log(
        `figures [${name}]: ${total} items; p50 ${ms(pct(times, 50))}, p95 ${ms(pct(times, 95))}, max ${ms(Math.max(...times))}`,
      );
    }
    // Where the time of one request goes (the year, no other filter).
    const parts: [string, (f: Awaited<ReturnType<FiguresService['resolve']>>) => Promise<unknown>][] = [
      ['task items (task_figure_fact)', (f) => app.get(HandlingFiguresService).tallies(f)],
      ['inputs', (f) => app.get(InputFiguresService).tallies(f)],
      ['person-times', (f) => app.get(MeetingFiguresService).tallies(f)],
    ];
    for (const [name, run] of parts) {
      const f = await figures.resolve(year);
      const times: number[] = [];
      for (let i = 0; i < Math.min(reps, 10); i++) times.push((await timeIt(() => run(f)))[0]);
      console.log(`  of which ${name}: p50 ${ms(pct(times, 50))}, p95 ${ms(pct(times, 95))}`);
    }
    console.log(
      `figures, all filters: ${all.length} requests; p50 ${ms(pct(all, 50))}, p95 ${ms(pct(all, 95))}`,
    );
    const drill: number[] = [];
    for (let i = 0; i < reps; i++)
      drill.push((await timeIt(() => figures.items('on_time_rate', 'late', year, 50)))[0]);
    console.log(
      `drill-down (on_time_rate/late, first page of 50): p50 ${ms(pct(drill, 50))}, p95 ${ms(pct(drill, 95))}`,
    );

    // The ledger .xlsx over a window holding about exportRows items.
    const window: FigureQuery = {
      from: new Date(YEAR_START),
      to: new Date(YEAR_START + Math.ceil((YEAR_MS * exportRows) / items)),
    };
    global.gc?.();
    const base = process.memoryUsage().rss;
    let peak = base;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const file = join(dir, 'ledger.xlsx');
    const [t, rows] = await timeIt(() => app.get(LedgerExportService).write(window, createWriteStream(file)));
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    console.log(
      `ledger .xlsx: ${rows} rows, ${mb(statSync(file).size)} in ${ms(t)}; RSS baseline ${mb(base)}, peak ${mb(peak)} (+${mb(peak - base)})`,
    );
    await app.close();
  } finally {
    await db.end().catch(() => undefined);
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
