import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { ENV_SCHEMA, type LOG_LEVELS } from './env-schema';

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
  /** scrypt cost of new password hashes, log2 N (PASSWORD_SCRYPT_LOG_N); weaker ones are rehashed at login. */
  passwordScryptLogN: number;
  /** LOG_LEVEL; LOG_FORMAT (json lines, or pretty: the default in development). */
  log: { level: (typeof LOG_LEVELS)[number]; format: 'json' | 'pretty' };
  /** SIGTERM: how long in-flight work may take before the process exits anyway (SHUTDOWN_TIMEOUT_MS). */
  shutdownTimeoutMs: number;
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

/** One problem of the environment: the variable and what is wrong with it. */
export interface ConfigProblem {
  variable: string;
  problem: string;
}

/** Every invalid variable at once; `variable` is the first of them. */
export class ConfigError extends Error {
  readonly variable: string;

  constructor(readonly problems: ConfigProblem[]) {
    super(
      problems.length === 1
        ? `Invalid configuration: ${problems[0].variable} ${problems[0].problem}`
        : `Invalid configuration (${problems.length} variables):\n${problems.map((p) => `  ${p.variable} ${p.problem}`).join('\n')}`,
    );
    this.variable = problems[0]?.variable ?? '';
  }
}

type Env = Record<string, string | undefined>;

/** Reads and validates the environment (ENV_SCHEMA); throws one ConfigError naming every bad variable. */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): AppConfig {
  const parsed = ENV_SCHEMA.safeParse(env);
  const problems: ConfigProblem[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ variable: String(issue.path[0]), problem: issue.message }));
  const nodeEnv = parsed.success ? parsed.data.NODE_ENV : env.NODE_ENV;
  if (nodeEnv === 'production' && (env.JWT_SECRET ?? '') === '')
    problems.push({ variable: 'JWT_SECRET', problem: 'is required when NODE_ENV=production' });
  // Test fixtures may use readable secrets; anywhere else a guessable one is refused.
  const weak =
    parsed.success && parsed.data.JWT_SECRET && nodeEnv !== 'test'
      ? secretWeakness(parsed.data.JWT_SECRET)
      : null;
  if (weak)
    problems.push({
      variable: 'JWT_SECRET',
      problem: `is too easy to guess (${weak}); use e.g. \`openssl rand -hex 32\``,
    });
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const v = parsed.data;
  const dataDir = isAbsolute(v.DATA_DIR) ? v.DATA_DIR : resolve(cwd, v.DATA_DIR);
  return {
    nodeEnv: v.NODE_ENV,
    host: v.HOST,
    port: v.PORT,
    databaseUrl: v.DATABASE_URL,
    dataDir,
    embeddedPgPort: v.EMBEDDED_PG_PORT,
    jwtSecret: v.JWT_SECRET ?? devSecret(dataDir),
    jwtTtlSeconds: v.JWT_TTL_SECONDS,
    // Demo accounts only into the throw-away embedded database, unless asked for explicitly.
    seedDemo: v.NODE_ENV === 'production' ? false : (v.SEED_DEMO ?? v.DATABASE_URL === null),
    liveOrigins: v.LIVE_ORIGINS,
    apiDocs: v.API_DOCS ?? v.NODE_ENV !== 'production',
    authRateLimit: v.AUTH_RATE_LIMIT,
    timeZone: v.APP_TIME_ZONE,
    liveRateLimit: v.LIVE_RATE_LIMIT,
    jobsEnabled: v.JOBS_ENABLED,
    jobsPollSeconds: v.JOBS_POLL_SECONDS,
    reminderWorkingDays: v.REMINDER_WORKING_DAYS,
    yellowWorkingDays: v.YELLOW_WORKING_DAYS,
    reinspectionDays: v.REINSPECTION_DAYS,
    db: {
      poolSize: v.DB_POOL_SIZE,
      acquireTimeoutMs: v.DB_ACQUIRE_TIMEOUT_MS,
      statementTimeoutMs: v.DB_STATEMENT_TIMEOUT_MS,
      lockTimeoutMs: v.DB_LOCK_TIMEOUT_MS,
      idleInTransactionTimeoutMs: v.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    },
    liveBatch: { windowMs: v.LIVE_BATCH_WINDOW_MS, maxSize: v.LIVE_BATCH_MAX },
    retention: { eventLogDays: v.EVENT_RETENTION_DAYS, doneJobDays: v.JOB_RETENTION_DAYS },
    passwordScryptLogN: v.PASSWORD_SCRYPT_LOG_N,
    log: { level: v.LOG_LEVEL, format: v.LOG_FORMAT ?? (v.NODE_ENV === 'development' ? 'pretty' : 'json') },
    shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT_MS,
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

/** For entry points: the validated config, or exit 78 with the message naming every bad variable. */
export function loadConfigOrExit(env: Env = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(78);
  }
}
