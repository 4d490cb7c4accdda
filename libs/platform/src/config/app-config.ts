import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

export type NodeEnv = 'development' | 'production' | 'test';

/** The validated configuration; built once at boot by `loadConfig`. */
export interface AppConfig {
  nodeEnv: NodeEnv;
  host: string;
  port: number;
  /** External PostgreSQL; when absent the api starts an embedded one under `dataDir`. */
  databaseUrl: string | null;
  dataDir: string;
  embeddedPgPort: number | null;
  jwtSecret: string;
  jwtTtlSeconds: number;
  /** Seed the demo data (SEED_DEMO; by default only into the embedded database, never in production). */
  seedDemo: boolean;
  /** Origins allowed to open sockets besides the api's own (LIVE_ORIGINS). */
  liveOrigins: string[];
  /** Serve the OpenAPI and AsyncAPI documents (API_DOCS; off in production unless enabled). */
  apiDocs: boolean;
  /** Login, check-in and import attempts per minute per account (AUTH_RATE_LIMIT); per address ten times as many. */
  authRateLimit: number;
  timeZone: string;
  /** Per-user socket rate limit: events per 10 s window. */
  liveRateLimit: number;
  /** Run durable jobs (reminders, overdue, re-inspection) in this process (JOBS_ENABLED). */
  jobsEnabled: boolean;
  jobsPollSeconds: number;
  /** Remind the lead unit this many working days before a deadline (REMINDER_WORKING_DAYS). */
  reminderWorkingDays: number;
  /** Yellow light when due within this many working days (YELLOW_WORKING_DAYS). */
  yellowWorkingDays: number;
  /** 回头看: re-inspect this many days after close-out (REINSPECTION_DAYS). */
  reinspectionDays: number;
  /** Bounded waits on the database: every wait ends with a retryable UNAVAILABLE, never silence. */
  db: DbLimits;
  /** Group commit of the live paths (inputs, co-signs, votes). */
  liveBatch: { windowMs: number; maxSize: number };
  /** Retention: a meeting's event log this many days after it is archived; done jobs after this many days. */
  retention: { eventLogDays: number; doneJobDays: number };
}

export interface DbLimits {
  /** Connections in the pool (DB_POOL_SIZE). */
  poolSize: number;
  /** How long a unit of work waits for a pool connection (DB_ACQUIRE_TIMEOUT_MS). */
  acquireTimeoutMs: number;
  /** Server-side limit per statement (DB_STATEMENT_TIMEOUT_MS); the client gives up 2 s later. */
  statementTimeoutMs: number;
  /** Server-side limit on waiting for a row or table lock (DB_LOCK_TIMEOUT_MS). */
  lockTimeoutMs: number;
  /** A transaction left idle this long is ended by the server (DB_IDLE_IN_TRANSACTION_TIMEOUT_MS). */
  idleInTransactionTimeoutMs: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
  }
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Reads and validates the environment; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): AppConfig {
  const nodeEnvRaw = env.NODE_ENV ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnvRaw)) {
    throw new ConfigError('NODE_ENV', `must be development, production or test, got "${nodeEnvRaw}"`);
  }
  const nodeEnv = nodeEnvRaw as NodeEnv;

  const databaseUrl = env.DATABASE_URL && env.DATABASE_URL !== '' ? env.DATABASE_URL : null;
  if (databaseUrl !== null) {
    let url: URL;
    try {
      url = new URL(databaseUrl);
    } catch {
      throw new ConfigError(
        'DATABASE_URL',
        'is not a valid URL (expected postgres://user:pass@host:port/db)',
      );
    }
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
      throw new ConfigError('DATABASE_URL', `must use postgres:// or postgresql://, got "${url.protocol}"`);
    }
  }

  const dataDirRaw = env.DATA_DIR && env.DATA_DIR !== '' ? env.DATA_DIR : '.data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw);

  const timeZone = env.APP_TIME_ZONE && env.APP_TIME_ZONE !== '' ? env.APP_TIME_ZONE : 'Asia/Shanghai';
  if (!validTimeZone(timeZone))
    throw new ConfigError('APP_TIME_ZONE', `is not a known IANA time zone: "${timeZone}"`);

  let jwtSecret = env.JWT_SECRET ?? '';
  if (jwtSecret !== '' && jwtSecret.length < 32) {
    throw new ConfigError('JWT_SECRET', 'must be at least 32 characters');
  }
  // Test fixtures may use readable secrets; anywhere else a guessable one is refused.
  const weak = jwtSecret !== '' && nodeEnv !== 'test' ? secretWeakness(jwtSecret) : null;
  if (weak)
    throw new ConfigError('JWT_SECRET', `is too easy to guess (${weak}); use e.g. \`openssl rand -hex 32\``);
  if (jwtSecret === '') {
    if (nodeEnv === 'production') throw new ConfigError('JWT_SECRET', 'is required when NODE_ENV=production');
    jwtSecret = devSecret(dataDir);
  }

  const liveOrigins = (env.LIVE_ORIGINS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const origin of liveOrigins) {
    try {
      new URL(origin);
    } catch {
      throw new ConfigError(
        'LIVE_ORIGINS',
        `contains "${origin}", which is not an origin like https://host:port`,
      );
    }
  }

  return {
    nodeEnv,
    host: env.HOST && env.HOST !== '' ? env.HOST : '0.0.0.0',
    port: int(env, 'PORT', 3000, 0, 65535),
    databaseUrl,
    dataDir,
    embeddedPgPort: env.EMBEDDED_PG_PORT ? int(env, 'EMBEDDED_PG_PORT', 0, 1024, 65535) : null,
    jwtSecret,
    jwtTtlSeconds: int(env, 'JWT_TTL_SECONDS', 12 * 3600, 10, 30 * 24 * 3600),
    // Demo accounts only into the throw-away embedded database, unless asked for explicitly.
    seedDemo: nodeEnv === 'production' ? false : bool(env, 'SEED_DEMO', databaseUrl === null),
    liveOrigins,
    apiDocs: bool(env, 'API_DOCS', nodeEnv !== 'production'),
    authRateLimit: int(env, 'AUTH_RATE_LIMIT', 10, 1, 100000),
    timeZone,
    liveRateLimit: int(env, 'LIVE_RATE_LIMIT', 30, 1, 100000),
    jobsEnabled: bool(env, 'JOBS_ENABLED', true),
    jobsPollSeconds: int(env, 'JOBS_POLL_SECONDS', 30, 1, 3600),
    reminderWorkingDays: int(env, 'REMINDER_WORKING_DAYS', 3, 0, 60),
    yellowWorkingDays: int(env, 'YELLOW_WORKING_DAYS', 3, 0, 60),
    reinspectionDays: int(env, 'REINSPECTION_DAYS', 30, 1, 3650),
    db: {
      poolSize: int(env, 'DB_POOL_SIZE', 20, 2, 500),
      acquireTimeoutMs: int(env, 'DB_ACQUIRE_TIMEOUT_MS', 5_000, 100, 600_000),
      statementTimeoutMs: int(env, 'DB_STATEMENT_TIMEOUT_MS', 15_000, 100, 3_600_000),
      lockTimeoutMs: int(env, 'DB_LOCK_TIMEOUT_MS', 5_000, 100, 3_600_000),
      idleInTransactionTimeoutMs: int(env, 'DB_IDLE_IN_TRANSACTION_TIMEOUT_MS', 30_000, 1_000, 3_600_000),
    },
    liveBatch: {
      windowMs: int(env, 'LIVE_BATCH_WINDOW_MS', 0, 0, 1000),
      maxSize: int(env, 'LIVE_BATCH_MAX', 200, 1, 5000),
    },
    retention: {
      eventLogDays: int(env, 'EVENT_RETENTION_DAYS', 30, 1, 36500),
      doneJobDays: int(env, 'JOB_RETENTION_DAYS', 30, 1, 36500),
    },
  };
}

/**
 * Why a signing secret is too easy to guess, or null: fewer than 8 distinct characters, text that
 * repeats itself, or under 96 bits by its character frequencies (32 random hex digits give
 * ~118, `openssl rand -hex 32` ~250, 32 × "a" 0).
 */
export function secretWeakness(secret: string): string | null {
  const counts = new Map<string, number>();
  for (const ch of secret) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  if (counts.size < 8) return `only ${counts.size} distinct characters`;
  // Repeats (`abcd…abcd`, `password…password`): many 4-character runs seen before; random text has next to none.
  const seen = new Set<string>();
  let repeated = 0;
  for (let i = 0; i + 4 <= secret.length; i++) {
    const run = secret.slice(i, i + 4);
    if (seen.has(run)) repeated++;
    seen.add(run);
  }
  if (repeated * 4 > secret.length - 3) return 'it repeats itself';
  let bits = 0;
  for (const n of counts.values()) bits -= n * Math.log2(n / secret.length);
  return bits < 96 ? `about ${Math.round(bits)} bits` : null;
}

/** Outside production a signing secret is generated once and kept under the data folder. */
function devSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    if (kept.length >= 32) return kept;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/** For entry points: the validated config, or exit 78 with the message naming the bad variable. */
export function loadConfigOrExit(env: Env = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(78);
  }
}
