import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Client } from 'pg';

/** The password every embedded cluster had before passwords were generated (migrated once, then rotated). */
export const LEGACY_SUPERUSER_PASSWORD = 'liexi';
export const SUPERUSER = 'postgres';
/** The role the api connects as: not a superuser; it owns the database and its schema. */
export const APP_ROLE = 'liexi';

export interface EmbeddedCredentials {
  superuserPassword: string;
  appPassword: string;
}

const secret = (): string => randomBytes(24).toString('base64url');

export const newCredentials = (): EmbeddedCredentials => ({
  superuserPassword: secret(),
  appPassword: secret(),
});

/**
 * The passwords of a persistent cluster, kept beside it like the JWT secret (mode 0600): read
 * when present, otherwise generated and written before any server is told about them, so a
 * crash in between never locks the api out (the next start retries the same passwords).
 */
export function loadOrCreateCredentials(file: string): {
  credentials: EmbeddedCredentials;
  created: boolean;
} {
  if (existsSync(file)) {
    chmodSync(file, 0o600);
    const kept = JSON.parse(readFileSync(file, 'utf8')) as Partial<EmbeddedCredentials>;
    if (typeof kept.superuserPassword === 'string' && typeof kept.appPassword === 'string')
      return { credentials: kept as EmbeddedCredentials, created: false };
  }
  const credentials = newCredentials();
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(credentials)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
  return { credentials, created: true };
}

/**
 * The password initdb is given: derived from the real one, so a start that crashed before
 * setting the real one can still log in. initdb reads it from a file the package writes to the
 * temp folder, readable by the server's user — so it is replaced by the real one as soon as
 * the server is up, and is never the password the server keeps.
 */
export const initPassword = (c: EmbeddedCredentials): string =>
  createHmac('sha256', c.superuserPassword).update('liexi-initdb').digest('base64url');

export const pgUrl = (user: string, password: string, port: number, database: string): string =>
  `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;

const quoteLiteral = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** A superuser connection: the cluster's password, or (once, for an older folder) the old default, then rotated. */
export async function superuserClient(
  port: number,
  credentials: EmbeddedCredentials,
  log?: (line: string) => void,
): Promise<Client> {
  const connect = async (password: string): Promise<Client> => {
    const client = new Client({ connectionString: pgUrl(SUPERUSER, password, port, 'postgres') });
    await client.connect();
    return client;
  };
  // 28P01 invalid_password: try the kept one, then the one initdb was given, then (a folder made
  // before passwords were generated) the old default; either of the last two is replaced at once.
  const tries = [credentials.superuserPassword, initPassword(credentials), LEGACY_SUPERUSER_PASSWORD];
  for (const [i, password] of tries.entries()) {
    let client: Client;
    try {
      client = await connect(password);
    } catch (err) {
      if ((err as { code?: string }).code === '28P01') continue;
      throw err;
    }
    if (i > 0) {
      await client.query(`ALTER ROLE ${SUPERUSER} PASSWORD ${quoteLiteral(credentials.superuserPassword)}`);
      if (password === LEGACY_SUPERUSER_PASSWORD)
        log?.(
          'database: the superuser password of this data folder was the old default from the source; rotated to a generated one',
        );
    }
    return client;
  }
  throw new Error(
    'the embedded PostgreSQL refuses the kept superuser password (DATA_DIR/pg-credentials) and the old default; restore the file or start with a fresh DATA_DIR',
  );
}

/**
 * The api's own role and database: a login role that is not a superuser, owns the database
 * (so, on PostgreSQL ≥ 15, its `public` schema) and every object in it — so migrations run as
 * it. Objects an older folder created as the superuser are handed over once.
 */
export async function ensureAppRole(
  admin: Client,
  port: number,
  database: string,
  credentials: EmbeddedCredentials,
  log?: (line: string) => void,
): Promise<void> {
  const role = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [APP_ROLE]);
  const password = quoteLiteral(credentials.appPassword);
  const attrs = 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS';
  if (role.rowCount === 0) await admin.query(`CREATE ROLE ${APP_ROLE} ${attrs} PASSWORD ${password}`);
  else await admin.query(`ALTER ROLE ${APP_ROLE} ${attrs} PASSWORD ${password}`);
  const db = await admin.query<{ owner: string }>(
    'SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1',
    [database],
  );
  if (db.rowCount === 0) await admin.query(`CREATE DATABASE "${database}" OWNER ${APP_ROLE}`);
  else if (db.rows[0]?.owner !== APP_ROLE)
    await admin.query(`ALTER DATABASE "${database}" OWNER TO ${APP_ROLE}`);
  const handed = await handOver(pgUrl(SUPERUSER, credentials.superuserPassword, port, database));
  if (handed > 0) log?.(`database: ${handed} schema object(s) handed over to the api's role "${APP_ROLE}"`);
}

/** Makes the app role the owner of every object in `public` that another role owns; how many moved. */
async function handOver(url: string): Promise<number> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`ALTER SCHEMA public OWNER TO pg_database_owner`);
    let moved = 0;
    const alter = async (sql: string): Promise<void> => {
      await c.query(sql);
      moved++;
    };
    // Tables first: their owned sequences follow them.
    const relations = await c.query<{ name: string; kind: string }>(
      `SELECT format('%I', c.relname) AS name, c.relkind AS kind FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
         AND pg_get_userbyid(c.relowner) <> $1`,
      [APP_ROLE],
    );
    for (const r of relations.rows) {
      const what = r.kind === 'v' ? 'VIEW' : r.kind === 'm' ? 'MATERIALIZED VIEW' : 'TABLE';
      await alter(`ALTER ${what} public.${r.name} OWNER TO ${APP_ROLE}`);
    }
    const sequences = await c.query<{ name: string }>(
      `SELECT format('%I', c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'S' AND pg_get_userbyid(c.relowner) <> $1`,
      [APP_ROLE],
    );
    for (const s of sequences.rows) await alter(`ALTER SEQUENCE public.${s.name} OWNER TO ${APP_ROLE}`);
    const functions = await c.query<{ sig: string }>(
      `SELECT p.oid::regprocedure::text AS sig FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> $1`,
      [APP_ROLE],
    );
    for (const f of functions.rows) await alter(`ALTER ROUTINE ${f.sig} OWNER TO ${APP_ROLE}`);
    const types = await c.query<{ name: string }>(
      `SELECT format('%I', t.typname) AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
       WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd') AND pg_get_userbyid(t.typowner) <> $1`,
      [APP_ROLE],
    );
    for (const t of types.rows) await alter(`ALTER TYPE public.${t.name} OWNER TO ${APP_ROLE}`);
    return moved;
  } finally {
    await c.end();
  }
}
