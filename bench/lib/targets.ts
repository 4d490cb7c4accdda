/* The servers under test. One embedded PostgreSQL cluster holds two migrated templates (product,
 * bare); every server process gets a fresh database cloned from its template, and is started as
 * its own process: the product from dist/apps/api/src/main.js, the bare server from
 * dist/bench/bare/server.js. */
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { freePort, loadConfig, runMigrations, startEmbeddedPostgres, TokenService } from '@liexi/platform';
import { Client } from 'pg';
import { createBareSchema } from '../bare/schema';
import { seedChair, seedPlenary } from '../seed-plenary';
import { spawnServer, waitHealthy } from './procs';
import type { Column } from './report';

export const TARGETS = ['product', 'product-pool5', 'bare', 'bare-batched'] as const;
export type TargetName = (typeof TARGETS)[number];
export const COLUMN_OF: Record<TargetName, Column> = {
  product: 'product',
  'product-pool5': 'product',
  bare: 'bare',
  'bare-batched': 'bare-batched',
};

const PRODUCT_TPL = 'liexi_product_tpl';
const BARE_TPL = 'liexi_bare_tpl';

export interface Cluster {
  adminUrl: string;
  port: number;
  /** A database's URL on this cluster. */
  url(db: string): string;
  stop(): Promise<void>;
}

/** One durable (fsync on) cluster, as in production; the two templates migrated once. */
export async function startCluster(dir: string): Promise<Cluster> {
  const pg = await startEmbeddedPostgres({ dir, database: PRODUCT_TPL, persistent: true });
  const url = (db: string): string => {
    const u = new URL(pg.adminUrl);
    u.pathname = `/${db}`;
    return u.toString();
  };
  await runMigrations(url(PRODUCT_TPL));
  const admin = new Client({ connectionString: pg.adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${BARE_TPL}"`);
  } finally {
    await admin.end();
  }
  await createBareSchema(url(BARE_TPL));
  return { adminUrl: pg.adminUrl, port: pg.port, url, stop: () => pg.stop() };
}

export interface SeededMeeting {
  meetingId: string;
  /** One token per tablet (empty strings for the bare server, which reads none). */
  tokens: string[];
}

export interface Target {
  name: TargetName;
  column: Column;
  isProduct: boolean;
  url: string;
  healthUrl: string;
  pid: number;
  dbName: string;
  logFile: string;
  meeting(tablets: number): Promise<SeededMeeting>;
  chairToken(): Promise<string>;
  stop(): Promise<void>;
}

export interface TargetEnv {
  root: string;
  runDir: string;
  logDir: string;
  cluster: Cluster;
  jwtSecret: string;
  tokens: TokenService;
}

export function targetEnv(root: string, runDir: string, logDir: string, cluster: Cluster): TargetEnv {
  const jwtSecret = randomBytes(32).toString('hex');
  const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: jwtSecret, DATA_DIR: runDir });
  return { root, runDir, logDir, cluster, jwtSecret, tokens: new TokenService(config) };
}

let cloned = 0;
/** Databases are cloned one at a time (a template takes one copy at once). */
let cloneChain: Promise<unknown> = Promise.resolve();
function cloneDatabase(cluster: Cluster, template: string, prefix: string): Promise<string> {
  const name = `${prefix}_${++cloned}_${randomBytes(3).toString('hex')}`;
  const run = cloneChain.then(async () => {
    const admin = new Client({ connectionString: cluster.adminUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
    } finally {
      await admin.end();
    }
    return name;
  });
  cloneChain = run.catch(() => undefined);
  return run;
}

export async function dropDatabase(cluster: Cluster, name: string): Promise<void> {
  const admin = new Client({ connectionString: cluster.adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** Starts one server on a fresh database and waits until it answers its health check. */
export async function startTarget(env: TargetEnv, name: TargetName, label: string): Promise<Target> {
  const isProduct = name === 'product' || name === 'product-pool5';
  const dbName = await cloneDatabase(env.cluster, isProduct ? PRODUCT_TPL : BARE_TPL, isProduct ? 'p' : 'b');
  const dbUrl = env.cluster.url(dbName);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = join(env.logDir, `${label}-${name}.log`);
  const proc = isProduct
    ? spawnServer({
        script: join(env.root, 'dist', 'apps', 'api', 'src', 'main.js'),
        // e.g. BENCH_PRODUCT_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the product
        nodeArgs: (process.env.BENCH_PRODUCT_NODE_ARGS ?? '').split(' ').filter((a) => a !== ''),
        cwd: env.root,
        logFile,
        env: {
          NODE_ENV: 'production',
          DATABASE_URL: dbUrl,
          JWT_SECRET: env.jwtSecret,
          SEED_DEMO: 'false',
          PORT: String(port),
          HOST: '127.0.0.1',
          JOBS_ENABLED: 'false',
          LIVE_RATE_LIMIT: '100000',
          DATA_DIR: join(env.runDir, 'product-data'),
          ...(name === 'product-pool5' ? { DB_POOL_SIZE: '5' } : {}),
        },
      })
    : spawnServer({
        script: join(env.root, 'dist', 'bench', 'bare', 'server.js'),
        cwd: env.root,
        logFile,
        env: {
          BARE_DATABASE_URL: dbUrl,
          PORT: String(port),
          BARE_BATCH: name === 'bare-batched' ? '1' : '0',
        },
      });
  const healthUrl = `${url}${isProduct ? '/api/health' : '/health'}`;
  try {
    await waitHealthy(healthUrl, proc.child, 90_000);
  } catch (err) {
    await proc.stop();
    throw new Error(
      `${name} (${label}): ${err instanceof Error ? err.message : String(err)}; log: ${logFile}`,
      {
        cause: err,
      },
    );
  }
  return {
    name,
    column: COLUMN_OF[name],
    isProduct,
    url,
    healthUrl,
    pid: proc.pid,
    dbName,
    logFile,
    meeting: async (tablets) => {
      if (!isProduct) return { meetingId: randomUUID(), tokens: Array.from({ length: tablets }, () => '') };
      const p = await seedPlenary(dbUrl, env.tokens, tablets, { agendaItems: 1 });
      return { meetingId: p.meetingId, tokens: p.attendees.map((a) => a.token) };
    },
    chairToken: async () => (isProduct ? (await seedChair(dbUrl, env.tokens)).token : ''),
    stop: async () => {
      await proc.stop(2000);
      await dropDatabase(env.cluster, dbName).catch(() => undefined);
    },
  };
}
