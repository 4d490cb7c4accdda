/* Prints figures for the ledger .xlsx (LedgerExportService, exceljs streaming writer) on a real
 * (embedded) PostgreSQL: `items` task items in `units` units written once with SQL
 * (bench/figures-data.ts), their figure facts derived, then for each size a window of 2024 holding
 * about that many items is exported to a file — each export in a fresh child process (same node
 * flags, so `--max-old-space-size` caps the export itself) that samples its RSS and heapUsed every
 * 20 ms. Per export: rows, file size, time, rows/s, RSS baseline (after a GC when `--expose-gc`),
 * peak, growth, heapUsed peak, and where the time went: the time of the ledger's statements (ids,
 * items, names; summed, so more than the wall time when pages are read side by side) and the
 * event loop's utilisation (the share of the time JavaScript was busy: mapping, exceljs, pg). The file of the smallest size is read back with
 * exceljs to show it is a valid workbook. No assertions: run it and read the numbers.
 *
 *   npm run build && node --expose-gc dist/bench/ledger-export.js [items=120000] [units=3000] [sizes=10000,50000,100000]
 *   node --expose-gc --max-old-space-size=96 dist/bench/ledger-export.js …   (the export under a heap cap)
 *
 * LEDGER_BENCH_DB=<dir> keeps the cluster in <dir> and reuses it when it already holds the data
 * (saves the generation between runs). SLOW=<KiB/s> makes the file a slow client: the writer's
 * output is throttled to that rate (backpressure).
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Transform, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { Client } from 'pg';
import { DirectoryService } from '@liexi/directory';
import { HandlingFiguresService, TaskFigureFacts, TaskQueriesService } from '@liexi/handling';
import { type FigureQuery, LedgerExportService } from '@liexi/insights';
import { MeetingsService } from '@liexi/meetings';
import { loadConfig, runMigrations, startEmbeddedPostgres } from '@liexi/platform';
import { createApp } from '../apps/api/src/bootstrap';
import { generate, YEAR_MS, YEAR_START } from './figures-data';

const MB = 1024 * 1024;
const config = (): ReturnType<typeof loadConfig> =>
  loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: 'bench-secret-bench-secret-bench-0123',
    SEED_DEMO: 'false',
    JOBS_ENABLED: 'false',
  });

/** What a child reports of one export. */
interface Result {
  rows: number;
  bytes: number;
  ms: number;
  base: number;
  peak: number;
  heapBase: number;
  heapPeak: number;
  idsMs: number;
  itemsMs: number;
  namesMs: number;
  pages: number;
  /** Event loop utilisation over the export (0..1). */
  elu: number;
}

/** Wraps `obj[name]` to add its time to `acc.ms` (and count calls). */
function timed<T extends object>(obj: T, name: keyof T, acc: { ms: number; n: number }): void {
  const f = obj[name] as unknown as (...a: unknown[]) => Promise<unknown>;
  (obj as Record<keyof T, unknown>)[name] = async (...a: unknown[]): Promise<unknown> => {
    const t0 = performance.now();
    try {
      return await f.apply(obj, a);
    } finally {
      acc.ms += performance.now() - t0;
      acc.n++;
    }
  };
}

/** A child: one export of the window [from, to) to `file`; prints a Result as JSON. */
async function child(url: string, from: number, to: number, file: string): Promise<void> {
  const app = await createApp(config(), url, { logger: false });
  await app.init();
  const ids = { ms: 0, n: 0 };
  const items = { ms: 0, n: 0 };
  timed(app.get(HandlingFiguresService), 'ledgerIds', ids);
  timed(app.get(TaskQueriesService), 'ledgerItems', items);
  // The three name statements run side by side: their wall time is that of the slowest.
  const dir = app.get(DirectoryService);
  const meetings = app.get(MeetingsService);
  const units = { ms: 0, n: 0 };
  const people = { ms: 0, n: 0 };
  const titles = { ms: 0, n: 0 };
  timed(dir, 'unitNames', units);
  timed(dir, 'participantNames', people);
  timed(meetings, 'titles', titles);
  const exporter = app.get(LedgerExportService);
  const window: FigureQuery = { from: new Date(from), to: new Date(to) };
  const slow = Number(process.env.SLOW ?? 0);
  // A warm-up on a tiny window (the statements prepared, the modules loaded), then the baseline.
  await exporter.write(
    { from: new Date(from), to: new Date(from + 3_600_000) },
    createWriteStream(`${file}.warm`),
  );
  Object.assign(ids, { ms: 0, n: 0 });
  Object.assign(items, { ms: 0, n: 0 });
  for (const a of [units, people, titles]) Object.assign(a, { ms: 0, n: 0 });
  global.gc?.();
  await new Promise((r) => setTimeout(r, 200));
  global.gc?.();
  const base = process.memoryUsage().rss;
  const heapBase = process.memoryUsage().heapUsed;
  let peak = base;
  let heapPeak = heapBase;
  const sample = (): void => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.rss);
    heapPeak = Math.max(heapPeak, m.heapUsed);
  };
  const sampler = setInterval(sample, 20);
  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  const sink = createWriteStream(file);
  const closed = new Promise<void>((resolve) => sink.on('close', () => resolve()));
  let out: Writable = sink;
  if (slow > 0) {
    // A slow client: at most `slow` KiB/s pass, with a small buffer (as a socket would).
    const start = performance.now();
    let sent = 0;
    const throttle = new Transform({
      highWaterMark: 16 * 1024,
      transform(chunk: Buffer, _enc, done): void {
        sent += chunk.length;
        const due = start + (sent / (slow * 1024)) * 1000 - performance.now();
        setTimeout(() => done(null, chunk), Math.max(0, due));
      },
    });
    throttle.pipe(sink);
    out = throttle;
  }
  const rows = await exporter.write(window, out);
  await closed;
  const ms = performance.now() - t0;
  const elu = performance.eventLoopUtilization(elu0).utilization;
  clearInterval(sampler);
  sample();
  const res: Result = {
    rows,
    bytes: statSync(file).size,
    ms,
    base,
    peak,
    heapBase,
    heapPeak,
    idsMs: ids.ms,
    itemsMs: items.ms,
    namesMs: Math.max(units.ms, people.ms, titles.ms),
    pages: ids.n,
    elu,
  };
  await app.close();
  process.stdout.write(`RESULT ${JSON.stringify(res)}\n`);
}

/** Runs one export in a fresh process with this process's node flags. */
function exportIn(url: string, from: number, to: number, file: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      [...process.execArgv, __filename, '--child', String(from), String(to), file],
      { env: { ...process.env, LEDGER_BENCH_URL: url }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code === 0 && line) resolve(JSON.parse(line.slice(7)) as Result);
      else reject(new Error(`the export failed (exit ${code}): ${out.slice(-2000)}`));
    });
  });
}

/** Opens `file` with exceljs (the whole workbook, in a process without this one's heap cap). */
function readBack(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [__filename, '--read', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', (code) =>
      code === 0 ? resolve(out.trim()) : reject(new Error(`read back failed: ${code}`)),
    );
  });
}

async function read(file: string): Promise<void> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  const sheet = book.getWorksheet('台账');
  const values = (n: number): unknown[] =>
    ((sheet?.getRow(n).values as unknown[] | undefined) ?? []).slice(1);
  const count = sheet?.actualRowCount ?? 0;
  console.log(
    `sheet 台账, ${count} rows (header + ${count - 1}); header ${JSON.stringify(values(1))}; first data row ${JSON.stringify(values(2))}; last ${JSON.stringify(values(count))}`,
  );
}

async function main(): Promise<void> {
  const items = Number(process.argv[2] ?? 120_000);
  const units = Number(process.argv[3] ?? 3000);
  const sizes = (process.argv[4] ?? '10000,50000,100000').split(',').map(Number);
  const keep = process.env.LEDGER_BENCH_DB;
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'liexi-bench-ledger-'));
  const reuse = !!keep && existsSync(join(keep, 'PG_VERSION'));
  const pg = await startEmbeddedPostgres({ dir, database: 'liexi_bench', persistent: !!keep });
  const db = new Client({ connectionString: pg.url });
  const files = mkdtempSync(join(tmpdir(), 'liexi-ledger-xlsx-'));
  try {
    await db.connect();
    const have = reuse
      ? Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM task_item')).rows[0].n)
      : 0;
    console.log(
      `ledger export bench: ${items} task items in ${units} units; node ${process.version} ${process.execArgv.join(' ')}`,
    );
    if (have !== items) {
      if (have > 0) throw new Error(`${dir} holds ${have} items, not ${items}: remove it`);
      await runMigrations(pg.url);
      let t0 = performance.now();
      await generate(db, items, units);
      console.log(`data written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const app = await createApp(config(), pg.url, { logger: false });
      await app.init();
      t0 = performance.now();
      await app.get(TaskFigureFacts).rebuild(20_000);
      console.log(`figure facts derived in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      await app.close();
      await db.query('VACUUM ANALYZE');
    } else console.log(`reusing the data in ${dir}`);

    const rows: string[] = [];
    for (const size of sizes) {
      const file = join(files, `ledger-${size}.xlsx`);
      const to = YEAR_START + Math.ceil((YEAR_MS * size) / items);
      const r = await exportIn(pg.url, YEAR_START, to, file);
      const line = [
        r.rows,
        `${(r.bytes / MB).toFixed(1)} MB`,
        `${(r.ms / 1000).toFixed(1)} s`,
        Math.round((r.rows / r.ms) * 1000),
        `${(r.base / MB).toFixed(0)} MB`,
        `${(r.peak / MB).toFixed(0)} MB`,
        `+${((r.peak - r.base) / MB).toFixed(0)} MB`,
        `${(r.heapPeak / MB).toFixed(0)} MB (+${((r.heapPeak - r.heapBase) / MB).toFixed(0)})`,
        `${(r.idsMs / 1000).toFixed(1)} / ${(r.itemsMs / 1000).toFixed(1)} / ${(r.namesMs / 1000).toFixed(1)} s (${r.pages} id reads)`,
        `${Math.round(r.elu * 100)} %`,
      ].join(' | ');
      console.log(`| ${line} |`);
      rows.push(line);
      if (size === Math.min(...sizes)) console.log(`  read back: ${await readBack(file)}`);
      rmSync(file, { force: true });
    }
    console.log(
      '\n| rows | file | time | rows/s | RSS baseline | peak | growth | heapUsed peak | statements: ids / items / names | JS busy |',
    );
    console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |');
    for (const r of rows) console.log(`| ${r} |`);
  } finally {
    await db.end().catch(() => undefined);
    await pg.stop();
    if (!keep) rmSync(dir, { recursive: true, force: true });
    rmSync(files, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--read')
  read(process.argv[3]).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
else if (process.argv[2] === '--child') {
  const url = process.env.LEDGER_BENCH_URL ?? '';
  child(url, Number(process.argv[3]), Number(process.argv[4]), process.argv[5]).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
} else
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
