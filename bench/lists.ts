/* Scenario `lists`: GET /api/tasks and GET /api/ledger (first page, 50 items) of the product on
 * the demo data plus `BENCH_LIST_TASKS` task items (200 by default), beside a bare express + pg
 * endpoint doing the equivalent SELECT on the same database (bench/bare/lists-server.ts). Both are
 * their own process; one closed-loop load of `BENCH_LIST_CONCURRENCY` (8) requests in flight for
 * `BENCH_LIST_SECONDS` (10) per endpoint and server, after 2 s of warm-up, from this process.
 * Prints requests/s and latency per server and the ratio product / bare (target ≥ 0.5×);
 * asserts nothing. Figures go to bench/results/lists.json.
 *
 *   npm run bench:lists          (or: node dist/bench/run.js lists)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { createLiexiClient, ok } from '@liexi/client';
import { freePort } from '@liexi/platform';
import { spawnServer, startReaper, waitHealthy, type ServerProcess } from './lib/procs';
import { ascending, percentile } from './lib/stats';
import { startCluster, type Cluster } from './lib/targets';

const root = resolve(__dirname, '..', '..');
const num = (name: string, fallback: number): number => {
  const n = Number(process.env[name]);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

interface Figures {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  items: number;
}

/** `concurrency` loops, each one request after the other, for `ms`. */
async function load(
  url: string,
  headers: Record<string, string>,
  concurrency: number,
  ms: number,
): Promise<Figures> {
  const latencies: number[] = [];
  let errors = 0;
  let items = 0;
  const end = performance.now() + ms;
  const loop = async (): Promise<void> => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        const res = await fetch(url, { headers });
        const body = (await res.json()) as { items?: unknown[] };
        if (res.status !== 200) errors++;
        else items = body.items?.length ?? 0;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, loop));
  const seconds = (performance.now() - t0) / 1000;
  const sorted = ascending(latencies);
  return {
    requests: latencies.length,
    perSecond: latencies.length / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    errors,
    items,
  };
}

export async function runListsBench(): Promise<void> {
  const tasks = num('BENCH_LIST_TASKS', 200);
  const concurrency = num('BENCH_LIST_CONCURRENCY', 8);
  const seconds = num('BENCH_LIST_SECONDS', 10);
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const runDir = mkdtempSync(join(tmpdir(), 'liexi-lists-'));
  const pgDir = mkdtempSync(join(tmpdir(), 'liexi-lists-pg-'));
  startReaper(pgDir, [runDir]);
  const logDir = join(root, 'bench', 'results', 'lists-logs');
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  let cluster: Cluster | null = null;
  const procs: ServerProcess[] = [];
  try {
    cluster = await startCluster(pgDir);
    const admin = new Client({ connectionString: cluster.adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE liexi_lists TEMPLATE liexi_product_tpl');
    await admin.end();
    const dbUrl = cluster.url('liexi_lists');

    // The demo data is seeded only outside production: a development process seeds it and
    // stops, then the product runs as in production on that database.
    const productPort = await freePort();
    const productEnv = {
      DATABASE_URL: dbUrl,
      JWT_SECRET: 'bench-lists-secret-0123456789abcdef0123456789',
      PORT: String(productPort),
      HOST: '127.0.0.1',
      JOBS_ENABLED: 'false',
      DATA_DIR: join(runDir, 'product-data'),
    };
    const seeder = spawnServer({
      script: join(root, 'dist', 'apps', 'api', 'src', 'main.js'),
      cwd: root,
      logFile: join(logDir, 'seed.log'),
      env: { ...productEnv, NODE_ENV: 'development', SEED_DEMO: 'true' },
    });
    await waitHealthy(`http://127.0.0.1:${productPort}/api/health`, seeder.child, 90_000);
    await seeder.stop(5000);
    const product = spawnServer({
      script: join(root, 'dist', 'apps', 'api', 'src', 'main.js'),
      cwd: root,
      logFile: join(logDir, 'product.log'),
      env: { ...productEnv, NODE_ENV: 'production' },
      // e.g. BENCH_PRODUCT_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the product
      nodeArgs: (process.env.BENCH_PRODUCT_NODE_ARGS ?? '').split(' ').filter((a) => a !== ''),
    });
    procs.push(product);
    const base = `http://127.0.0.1:${productPort}`;
    await waitHealthy(`${base}/api/health`, product.child, 90_000);

    // The demo data plus `tasks` items, created through the api (typed client).
    const login = await ok(
      createLiexiClient(base).POST('/api/auth/login', { body: { username: 'secretary', password: 'demo' } }),
    );
    const api = createLiexiClient(base, { token: login.accessToken });
    const units = (await ok(api.GET('/api/units', { params: { query: { limit: 200 } } }))).items;
    const meetings = (await ok(api.GET('/api/meetings', { params: { query: { limit: 200 } } }))).items;
    for (let i = 0; i < tasks; i++) {
      const lead = units[i % units.length];
      const other = units[(i + 1) % units.length];
      const meeting = meetings[i % meetings.length];
      if (!lead || !other) throw new Error('the demo data has no units');
      await ok(
        api.POST('/api/tasks', {
          body: {
            ...(meeting ? { meetingId: meeting.id } : {}),
            problem: `基准测试事项 ${i}：企业反映审批材料重复提交`,
            leadUnitId: lead.id,
            ...(other.id !== lead.id ? { cooperatingUnitIds: [other.id] } : {}),
            responsiblePerson: '主任',
            measure: '一次告知、并联审批',
            deadline: '2027-06-30',
            closeOutStandard: '材料只交一次',
            taskClass: 'A',
            assign: i % 2 === 0,
          },
        }),
      );
    }
    log(`product on ${base}: demo data + ${tasks} task items`);

    const barePort = await freePort();
    const bare = spawnServer({
      script: join(root, 'dist', 'bench', 'bare', 'lists-server.js'),
      cwd: root,
      logFile: join(logDir, 'bare.log'),
      env: { BARE_DATABASE_URL: dbUrl, PORT: String(barePort) },
    });
    procs.push(bare);
    const bareBase = `http://127.0.0.1:${barePort}`;
    await waitHealthy(`${bareBase}/health`, bare.child, 30_000);

    const auth = { authorization: `Bearer ${login.accessToken}` };
    const results: Record<string, { product: Figures; bare: Figures; ratio: number }> = {};
    for (const [name, productUrl, bareUrl] of [
      ['GET /api/tasks', `${base}/api/tasks`, `${bareBase}/tasks`],
      ['GET /api/ledger', `${base}/api/ledger`, `${bareBase}/ledger`],
    ] as const) {
      const figures: Partial<Record<'product' | 'bare', Figures>> = {};
      for (const [target, url, headers] of [
        ['bare', bareUrl, {}],
        ['product', productUrl, auth],
      ] as const) {
        await load(url, headers, concurrency, 2000);
        figures[target] = await load(url, headers, concurrency, seconds * 1000);
      }
      const p = figures.product as Figures;
      const b = figures.bare as Figures;
      results[name] = { product: p, bare: b, ratio: p.perSecond / b.perSecond };
    }

    const f = (n: number): string => n.toFixed(n < 10 ? 1 : 0);
    log(
      `\nlists: first page (50 items), ${concurrency} in flight, ${seconds} s each; ratio = product / bare`,
    );
    log('| endpoint | product req/s | p50 / p99 ms | bare req/s | p50 / p99 ms | ratio | target |');
    log('| --- | --- | --- | --- | --- | --- | --- |');
    for (const [name, r] of Object.entries(results))
      log(
        `| ${name} | ${f(r.product.perSecond)} | ${f(r.product.p50)} / ${f(r.product.p99)} | ${f(r.bare.perSecond)} | ${f(r.bare.p50)} / ${f(r.bare.p99)} | ×${r.ratio.toFixed(2)} | ≥ ×0.5: ${r.ratio >= 0.5 ? 'met' : 'NOT met'} |`,
      );
    for (const [name, r] of Object.entries(results))
      if (r.product.errors + r.bare.errors > 0 || r.product.items !== r.bare.items)
        log(
          `note: ${name}: errors ${r.product.errors} / ${r.bare.errors}, items ${r.product.items} / ${r.bare.items}`,
        );
    writeFileSync(
      join(root, 'bench', 'results', 'lists.json'),
      `${JSON.stringify({ at: new Date().toISOString(), tasks, concurrency, seconds, results }, null, 2)}\n`,
    );
  } finally {
    for (const p of procs) await p.stop(2000).catch(() => undefined);
    await cluster?.stop().catch(() => undefined);
    rmSync(runDir, { recursive: true, force: true });
    rmSync(pgDir, { recursive: true, force: true });
  }
}

if (require.main === module)
  runListsBench().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
