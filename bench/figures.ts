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
import { generate, YEAR_MS, YEAR_START } from './figures-data';

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const ms = (x: number): string => `${x.toFixed(1)} ms`;
const mb = (x: number): string => `${(x / 1024 / 1024).toFixed(0)} MB`;
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
    console.log(`figure facts and summary derived for ${facts} items in ${ms(performance.now() - t0)}`);
    const summaryRows = async (): Promise<string> =>
      (
        await db.query<{ n: number; open: number }>(
          'SELECT count(*)::int AS n, count(*) FILTER (WHERE open)::int AS open FROM task_figure_summary',
        )
      ).rows.map((r) => `${r.n} rows (${r.open} open)`)[0];
    console.log(`figure summary after compaction: ${await summaryRows()}`);
    // What a deploy that changes the figure definitions costs at start: the summary rebuilt.
    await db.query(`UPDATE task_figure_summary_layout SET layout = 'stale'`);
    t0 = performance.now();
    await app.get(TaskFigureFacts).ensureSummary();
    console.log(
      `figure summary rebuilt from the facts in ${ms(performance.now() - t0)}: ${await summaryRows()}`,
    );
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
      ['constituency, no period', { constituency: 'cppcc_member' }],
      ['year + unit + constituency', { ...year, unitId, constituency: 'deputy' }],
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
      ['task items (summary + facts)', (f) => app.get(HandlingFiguresService).tallies(f)],
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
    const ranking: number[] = [];
    for (let i = 0; i < Math.min(reps, 5); i++) {
      const f = await figures.resolve(year);
      ranking.push((await timeIt(() => app.get(HandlingFiguresService).byUnit(f)))[0]);
    }
    console.log(
      `per-unit figures for the ranking (year, ${units} units, facts): p50 ${ms(pct(ranking, 50))}, max ${ms(Math.max(...ranking))}`,
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
