import { z } from 'zod';

/**
 * Every environment variable the api reads, in one zod schema: each entry parses its own raw
 * string (unset and '' mean "the default") and names the problem with the raw value, so a bad
 * environment is reported whole in one go. The README's configuration tables list every key
 * (a unit test compares them).
 */

type Raw = string | undefined;
const unset = (raw: Raw): raw is undefined | '' => raw === undefined || raw === '';

function wholeNumber(fallback: number, min: number, max: number) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): number => {
      if (unset(raw)) return fallback;
      if (!/^\d+$/.test(raw)) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number, got "${raw}"` });
        return z.NEVER;
      }
      const n = Number(raw);
      if (n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be between ${min} and ${max}, got ${n}` });
        return z.NEVER;
      }
      return n;
    });
}

function optionalWholeNumber(min: number, max: number) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): number | null => {
      if (unset(raw)) return null;
      const n = Number(raw);
      if (!/^\d+$/.test(raw) || n < min || n > max) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a whole number from ${min} to ${max}, got "${raw}"`,
        });
        return z.NEVER;
      }
      return n;
    });
}

function flag(fallback: boolean) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): boolean => {
      if (unset(raw)) return fallback;
      const v = raw.toLowerCase();
      if (['1', 'true', 'yes'].includes(v)) return true;
      if (['0', 'false', 'no'].includes(v)) return false;
      ctx.addIssue({ code: 'custom', message: `must be true or false, got "${raw}"` });
      return z.NEVER;
    });
}

/** A flag whose default depends on other variables: null when unset. */
function optionalFlag() {
  return z
    .string()
    .optional()
    .transform((raw, ctx): boolean | null => {
      if (unset(raw)) return null;
      const v = raw.toLowerCase();
      if (['1', 'true', 'yes'].includes(v)) return true;
      if (['0', 'false', 'no'].includes(v)) return false;
      ctx.addIssue({ code: 'custom', message: `must be true or false, got "${raw}"` });
      return z.NEVER;
    });
}

function oneOf<const T extends string, F extends T | null>(values: readonly T[], fallback: F) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T | F => {
      if (unset(raw)) return fallback;
      if ((values as readonly string[]).includes(raw)) return raw as T;
      ctx.addIssue({ code: 'custom', message: `must be ${values.join(', ')}, got "${raw}"` });
      return z.NEVER;
    });
}

function text(fallback: string) {
  return z
    .string()
    .optional()
    .transform((raw) => (unset(raw) ? fallback : raw));
}

const databaseUrl = z
  .string()
  .optional()
  .transform((raw, ctx): string | null => {
    if (unset(raw)) return null;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'is not a valid URL (expected postgres://user:pass@host:port/db)',
      });
      return z.NEVER;
    }
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
      ctx.addIssue({
        code: 'custom',
        message: `must use postgres:// or postgresql://, got "${url.protocol}"`,
      });
      return z.NEVER;
    }
    return raw;
  });

const timeZone = z
  .string()
  .optional()
  .transform((raw, ctx): string => {
    const tz = unset(raw) ? 'Asia/Shanghai' : raw;
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return tz;
    } catch {
      ctx.addIssue({ code: 'custom', message: `is not a known IANA time zone: "${tz}"` });
      return z.NEVER;
    }
  });

const jwtSecret = z
  .string()
  .optional()
  .transform((raw, ctx): string | null => {
    if (unset(raw)) return null;
    if (raw.length < 32) {
      ctx.addIssue({ code: 'custom', message: 'must be at least 32 characters' });
      return z.NEVER;
    }
    return raw;
  });

const origins = z
  .string()
  .optional()
  .transform((raw, ctx): string[] => {
    const list = (raw ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    for (const origin of list) {
      try {
        new URL(origin);
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: `contains "${origin}", which is not an origin like https://host:port`,
        });
        return z.NEVER;
      }
    }
    return list;
  });

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const ENV_SCHEMA = z.object({
  NODE_ENV: oneOf(['development', 'production', 'test'], 'development'),
  HOST: text('0.0.0.0'),
  PORT: wholeNumber(3000, 0, 65535),
  DATABASE_URL: databaseUrl,
  DATA_DIR: text('.data'),
  EMBEDDED_PG_PORT: optionalWholeNumber(1024, 65535),
  JWT_SECRET: jwtSecret,
  JWT_TTL_SECONDS: wholeNumber(12 * 3600, 10, 30 * 24 * 3600),
  SEED_DEMO: optionalFlag(),
  LIVE_ORIGINS: origins,
  API_DOCS: optionalFlag(),
  AUTH_RATE_LIMIT: wholeNumber(10, 1, 100000),
  APP_TIME_ZONE: timeZone,
  LIVE_RATE_LIMIT: wholeNumber(30, 1, 100000),
  JOBS_ENABLED: flag(true),
  JOBS_POLL_SECONDS: wholeNumber(30, 1, 3600),
  REMINDER_WORKING_DAYS: wholeNumber(3, 0, 60),
  YELLOW_WORKING_DAYS: wholeNumber(3, 0, 60),
  REINSPECTION_DAYS: wholeNumber(30, 1, 3650),
  DB_POOL_SIZE: wholeNumber(20, 2, 500),
  DB_ACQUIRE_TIMEOUT_MS: wholeNumber(5_000, 100, 600_000),
  DB_STATEMENT_TIMEOUT_MS: wholeNumber(15_000, 100, 3_600_000),
  DB_LOCK_TIMEOUT_MS: wholeNumber(5_000, 100, 3_600_000),
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: wholeNumber(30_000, 1_000, 3_600_000),
  LIVE_BATCH_WINDOW_MS: wholeNumber(0, 0, 1000),
  LIVE_BATCH_MAX: wholeNumber(200, 1, 5000),
  EVENT_RETENTION_DAYS: wholeNumber(30, 1, 36500),
  JOB_RETENTION_DAYS: wholeNumber(30, 1, 36500),
  PASSWORD_SCRYPT_LOG_N: wholeNumber(17, 14, 20),
  LOG_LEVEL: oneOf(LOG_LEVELS, 'info'),
  LOG_FORMAT: oneOf(['json', 'pretty'], null),
  SHUTDOWN_TIMEOUT_MS: wholeNumber(10_000, 1_000, 600_000),
});

export type ParsedEnv = z.output<typeof ENV_SCHEMA>;

/** The variables the schema reads (for the README check and for messages). */
export const ENV_VARIABLES = Object.keys(ENV_SCHEMA.shape) as (keyof ParsedEnv)[];
