import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppConfig, ConfigError, loadConfig } from './app-config';

const SECRET = '5f0c1d9e8a7b6c4d3e2f1a0b9c8d7e6f';

describe('loadConfig', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'liexi-config-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function thrown(env: Record<string, string | undefined>): unknown {
    try {
      loadConfig(env, dir);
    } catch (err) {
      return err;
    }
    return undefined;
  }

  describe('defaults', () => {
    it('fills every value when the environment is empty', () => {
      const config = loadConfig({ JWT_SECRET: SECRET }, dir);
      expect(config).toEqual({
        nodeEnv: 'development',
        host: '0.0.0.0',
        port: 3000,
        databaseUrl: null,
        dataDir: join(dir, '.data'),
        embeddedPgPort: null,
        jwtSecret: SECRET,
        jwtTtlSeconds: 12 * 3600,
        seedDemo: true,
        liveOrigins: [],
        apiDocs: true,
        authRateLimit: 10,
        timeZone: 'Asia/Shanghai',
        liveRateLimit: 30,
        jobsEnabled: true,
        jobsPollSeconds: 30,
        reminderWorkingDays: 3,
        yellowWorkingDays: 3,
        reinspectionDays: 30,
        db: {
          poolSize: 20,
          acquireTimeoutMs: 5000,
          statementTimeoutMs: 15000,
          lockTimeoutMs: 5000,
          idleInTransactionTimeoutMs: 30000,
        },
        liveBatch: { windowMs: 0, maxSize: 200 },
        retention: { eventLogDays: 30, doneJobDays: 30 },
        passwordScryptLogN: 17,
        log: { level: 'info', format: 'pretty' },
        shutdownTimeoutMs: 10000,
      });
    });

    it('logs JSON lines outside development unless LOG_FORMAT says otherwise', () => {
      expect(loadConfig({ JWT_SECRET: SECRET, NODE_ENV: 'production' }, dir).log.format).toBe('json');
      expect(loadConfig({ JWT_SECRET: SECRET, NODE_ENV: 'test' }, dir).log.format).toBe('json');
      expect(loadConfig({ JWT_SECRET: SECRET, LOG_FORMAT: 'json' }, dir).log.format).toBe('json');
      expect(loadConfig({ JWT_SECRET: SECRET, LOG_LEVEL: 'debug' }, dir).log.level).toBe('debug');
    });

    it('treats empty strings as unset', () => {
      const config = loadConfig(
        { JWT_SECRET: SECRET, PORT: '', HOST: '', DATABASE_URL: '', APP_TIME_ZONE: '', DATA_DIR: '' },
        dir,
      );
      expect(config.port).toBe(3000);
      expect(config.host).toBe('0.0.0.0');
      expect(config.databaseUrl).toBeNull();
      expect(config.timeZone).toBe('Asia/Shanghai');
      expect(config.dataDir).toBe(join(dir, '.data'));
    });

    it('resolves a relative DATA_DIR against cwd and keeps an absolute one', () => {
      expect(loadConfig({ JWT_SECRET: SECRET, DATA_DIR: 'store/pg' }, dir).dataDir).toBe(
        join(dir, 'store', 'pg'),
      );
      const abs = join(dir, 'elsewhere');
      expect(loadConfig({ JWT_SECRET: SECRET, DATA_DIR: abs }, '/somewhere/else').dataDir).toBe(abs);
    });

    it('reads valid values', () => {
      const config = loadConfig(
        {
          JWT_SECRET: SECRET,
          NODE_ENV: 'test',
          PORT: '8080',
          HOST: '127.0.0.1',
          DATABASE_URL: 'postgresql://u:p@db:5432/liexi',
          APP_TIME_ZONE: 'Europe/Berlin',
          SEED_DEMO: 'no',
          LIVE_ORIGINS: 'https://a.example.org, http://localhost:5173',
        },
        dir,
      );
      expect(config.nodeEnv).toBe('test');
      expect(config.port).toBe(8080);
      expect(config.host).toBe('127.0.0.1');
      expect(config.databaseUrl).toBe('postgresql://u:p@db:5432/liexi');
      expect(config.timeZone).toBe('Europe/Berlin');
      expect(config.seedDemo).toBe(false);
      expect(config.liveOrigins).toEqual(['https://a.example.org', 'http://localhost:5173']);
    });

    it('accepts postgres:// as well as postgresql://', () => {
      expect(loadConfig({ JWT_SECRET: SECRET, DATABASE_URL: 'postgres://h/db' }, dir).databaseUrl).toBe(
        'postgres://h/db',
      );
    });
  });

  describe('bad values throw a ConfigError naming the variable', () => {
    test.each([
      ['PORT', 'abc'],
      ['PORT', '70000'],
      ['PORT', '-1'],
      ['DATABASE_URL', 'mysql://x'],
      ['DATABASE_URL', 'not a url'],
      ['NODE_ENV', 'staging'],
      ['JWT_SECRET', 'too-short-secret'],
      ['APP_TIME_ZONE', 'Mars/Base'],
      ['SEED_DEMO', 'maybe'],
      ['LIVE_ORIGINS', 'notanorigin'],
      ['LIVE_ORIGINS', 'https://ok.example.org,notanorigin'],
      ['EMBEDDED_PG_PORT', '80'],
      ['PASSWORD_SCRYPT_LOG_N', '12'],
      ['LOG_LEVEL', 'loud'],
      ['LOG_FORMAT', 'xml'],
      ['SHUTDOWN_TIMEOUT_MS', '10'],
    ])('%s=%s', (variable, value) => {
      const err = thrown({ JWT_SECRET: SECRET, [variable]: value });
      expect(err).toBeInstanceOf(ConfigError);
      const configError = err as ConfigError;
      expect(configError.variable).toBe(variable);
      expect(configError.message).toContain(variable);
    });

    it('reports every invalid variable at once, each with its value', () => {
      const err = thrown({
        NODE_ENV: 'production',
        PORT: 'eighty',
        DB_POOL_SIZE: '1',
        LIVE_ORIGINS: 'nope',
        APP_TIME_ZONE: 'Mars/Base',
      }) as ConfigError;
      expect(err).toBeInstanceOf(ConfigError);
      expect(err.problems.map((p) => p.variable).sort()).toEqual(
        ['APP_TIME_ZONE', 'DB_POOL_SIZE', 'JWT_SECRET', 'LIVE_ORIGINS', 'PORT'].sort(),
      );
      for (const part of ['PORT', '"eighty"', 'DB_POOL_SIZE', 'got 1', 'nope', 'Mars/Base', 'JWT_SECRET'])
        expect(err.message).toContain(part);
      expect(existsSync(join(dir, '.data', 'jwt-secret'))).toBe(false);
    });

    it('a JWT_SECRET of exactly 32 characters is enough', () => {
      expect(loadConfig({ JWT_SECRET: SECRET }, dir).jwtSecret).toBe(SECRET);
      expect(thrown({ JWT_SECRET: SECRET.slice(1) })).toBeInstanceOf(ConfigError);
    });

    // Was: 'y'.repeat(32) accepted. A guessable secret is now refused (outside NODE_ENV=test).
    test.each([
      ['32 × a', 'a'.repeat(32)],
      ['a repeated block', 'abcdefgh'.repeat(4)],
      ['few characters', 'abababababababababcdcdcdcdcdcdcdcd'],
      ['a word and a counter', 'passwordpasswordpassword12345678'],
    ])('a JWT_SECRET of %s is refused as too easy to guess', (_name, secret) => {
      const err = thrown({ JWT_SECRET: secret });
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).message).toContain('too easy to guess');
      expect(thrown({ JWT_SECRET: secret, NODE_ENV: 'production' })).toBeInstanceOf(ConfigError);
      // Test fixtures may keep readable secrets.
      expect(loadConfig({ JWT_SECRET: secret, NODE_ENV: 'test' }, dir).jwtSecret).toBe(secret);
    });

    it('random secrets pass: 32 hex digits, 64 hex digits, 43 base64url characters', () => {
      for (const secret of [
        SECRET,
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        'q8Zx0vN3k_Lr7YtB2mWc9sHd4GfJ6pAe1uKi5oXyT0w',
      ])
        expect(loadConfig({ JWT_SECRET: secret }, dir).jwtSecret).toBe(secret);
    });
  });

  describe('database limits, live batching and retention', () => {
    /** Variable, where loadConfig puts it, the smallest and the largest value it accepts. */
    const LIMITS: [string, (c: AppConfig) => number, number, number][] = [
      ['DB_POOL_SIZE', (c) => c.db.poolSize, 2, 500],
      ['DB_ACQUIRE_TIMEOUT_MS', (c) => c.db.acquireTimeoutMs, 100, 600_000],
      ['DB_STATEMENT_TIMEOUT_MS', (c) => c.db.statementTimeoutMs, 100, 3_600_000],
      ['DB_LOCK_TIMEOUT_MS', (c) => c.db.lockTimeoutMs, 100, 3_600_000],
      ['DB_IDLE_IN_TRANSACTION_TIMEOUT_MS', (c) => c.db.idleInTransactionTimeoutMs, 1_000, 3_600_000],
      ['LIVE_BATCH_WINDOW_MS', (c) => c.liveBatch.windowMs, 0, 1_000],
      ['LIVE_BATCH_MAX', (c) => c.liveBatch.maxSize, 1, 5_000],
      ['EVENT_RETENTION_DAYS', (c) => c.retention.eventLogDays, 1, 36_500],
      ['JOB_RETENTION_DAYS', (c) => c.retention.doneJobDays, 1, 36_500],
    ];

    it('reads every variable into its place', () => {
      const config = loadConfig(
        {
          JWT_SECRET: SECRET,
          DB_POOL_SIZE: '50',
          DB_ACQUIRE_TIMEOUT_MS: '2500',
          DB_STATEMENT_TIMEOUT_MS: '60000',
          DB_LOCK_TIMEOUT_MS: '1500',
          DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '120000',
          LIVE_BATCH_WINDOW_MS: '10',
          LIVE_BATCH_MAX: '64',
          EVENT_RETENTION_DAYS: '365',
          JOB_RETENTION_DAYS: '7',
        },
        dir,
      );
      expect(config.db).toEqual({
        poolSize: 50,
        acquireTimeoutMs: 2500,
        statementTimeoutMs: 60000,
        lockTimeoutMs: 1500,
        idleInTransactionTimeoutMs: 120000,
      });
      expect(config.liveBatch).toEqual({ windowMs: 10, maxSize: 64 });
      expect(config.retention).toEqual({ eventLogDays: 365, doneJobDays: 7 });
    });

    test.each(LIMITS)('%s accepts its bounds', (variable, read, min, max) => {
      expect(read(loadConfig({ JWT_SECRET: SECRET, [variable]: String(min) }, dir))).toBe(min);
      expect(read(loadConfig({ JWT_SECRET: SECRET, [variable]: String(max) }, dir))).toBe(max);
    });

    test.each(
      LIMITS.flatMap(([variable, , min, max]) => [
        [variable, String(max + 1)],
        [variable, min > 0 ? String(min - 1) : '-1'],
        [variable, 'abc'],
        [variable, '1.5'],
        [variable, '1e3'],
        [variable, '20ms'],
      ]),
    )('%s=%s throws a ConfigError naming it', (variable, value) => {
      const err = thrown({ JWT_SECRET: SECRET, [variable]: value });
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).variable).toBe(variable);
      expect((err as ConfigError).message).toContain(variable);
      expect((err as ConfigError).message).toContain(value);
    });
  });

  describe('production', () => {
    it('requires JWT_SECRET', () => {
      const err = thrown({ NODE_ENV: 'production' });
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).variable).toBe('JWT_SECRET');
      expect((err as ConfigError).message).toContain('JWT_SECRET');
      expect(existsSync(join(dir, '.data', 'jwt-secret'))).toBe(false);
    });

    it('never seeds demo data, whatever SEED_DEMO says', () => {
      expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET }, dir).seedDemo).toBe(false);
      expect(
        loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, SEED_DEMO: 'true' }, dir).seedDemo,
      ).toBe(false);
    });

    it('outside production SEED_DEMO decides', () => {
      expect(loadConfig({ JWT_SECRET: SECRET, SEED_DEMO: 'true' }, dir).seedDemo).toBe(true);
      expect(loadConfig({ JWT_SECRET: SECRET, SEED_DEMO: '0' }, dir).seedDemo).toBe(false);
    });

    it('without SEED_DEMO, only the embedded database is seeded, never an external one', () => {
      expect(loadConfig({ JWT_SECRET: SECRET }, dir).seedDemo).toBe(true);
      expect(loadConfig({ JWT_SECRET: SECRET, DATABASE_URL: 'postgres://h/db' }, dir).seedDemo).toBe(false);
      expect(
        loadConfig({ JWT_SECRET: SECRET, DATABASE_URL: 'postgres://h/db', SEED_DEMO: 'true' }, dir).seedDemo,
      ).toBe(true);
    });

    it('serves the API documents outside production, in production only with API_DOCS=true', () => {
      expect(loadConfig({ JWT_SECRET: SECRET }, dir).apiDocs).toBe(true);
      expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET }, dir).apiDocs).toBe(false);
      expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, API_DOCS: 'true' }, dir).apiDocs).toBe(
        true,
      );
      expect(loadConfig({ JWT_SECRET: SECRET, API_DOCS: 'false' }, dir).apiDocs).toBe(false);
      expect((thrown({ JWT_SECRET: SECRET, API_DOCS: 'sometimes' }) as ConfigError).variable).toBe(
        'API_DOCS',
      );
    });

    it('AUTH_RATE_LIMIT: attempts per minute, 1 to 100000', () => {
      expect(loadConfig({ JWT_SECRET: SECRET, AUTH_RATE_LIMIT: '3' }, dir).authRateLimit).toBe(3);
      expect((thrown({ JWT_SECRET: SECRET, AUTH_RATE_LIMIT: '0' }) as ConfigError).variable).toBe(
        'AUTH_RATE_LIMIT',
      );
    });
  });

  describe('development secret', () => {
    it('is generated once into dataDir/jwt-secret and reused', () => {
      const env = { DATA_DIR: join(dir, 'data') };
      const file = join(dir, 'data', 'jwt-secret');
      expect(existsSync(file)).toBe(false);

      const first = loadConfig(env, dir);
      expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32);
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file, 'utf8').trim()).toBe(first.jwtSecret);

      const second = loadConfig(env, dir);
      expect(second.jwtSecret).toBe(first.jwtSecret);
    });

    it('is different in a different data folder', () => {
      const a = loadConfig({ DATA_DIR: join(dir, 'a') }, dir).jwtSecret;
      const b = loadConfig({ DATA_DIR: join(dir, 'b') }, dir).jwtSecret;
      expect(a).not.toBe(b);
    });

    it('is not written when JWT_SECRET is given', () => {
      loadConfig({ JWT_SECRET: SECRET }, dir);
      expect(existsSync(join(dir, '.data', 'jwt-secret'))).toBe(false);
    });
  });
});
