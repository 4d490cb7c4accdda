/* `npm run backup [-- file]` and `npm run restore -- file`: the database of DATABASE_URL, or the
 * embedded one under DATA_DIR (started for the purpose: stop the api first). See DEPLOYMENT.md. */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { backupDatabase, loadConfigOrExit, resolveDatabase, restoreDatabase } from '@liexi/platform';

async function main(): Promise<void> {
  const [mode, fileArg] = process.argv.slice(2);
  if (mode !== 'backup' && mode !== 'restore') throw new Error('usage: backup.js backup|restore [file]');
  const config = loadConfigOrExit();
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const file =
    fileArg ?? (mode === 'backup' ? join(config.dataDir, 'backups', `liexi-${stamp}.backup.gz`) : undefined);
  if (!file) throw new Error('usage: npm run restore -- <file>');
  const db = await resolveDatabase(config, (line) => process.stderr.write(`${line}\n`));
  try {
    const t0 = Date.now();
    if (mode === 'backup') {
      mkdirSync(dirname(file), { recursive: true });
      const header = await backupDatabase(db.url, file);
      const rows = header.tables.reduce((n, t) => n + t.rows, 0);
      process.stdout.write(
        `backup: ${file} — ${header.tables.length} tables, ${rows} rows, ${Date.now() - t0} ms\n`,
      );
    } else {
      const header = await restoreDatabase(db.url, file);
      const rows = header.tables.reduce((n, t) => n + t.rows, 0);
      process.stdout.write(
        `restore: ${file} (taken ${header.createdAt}) — ${rows} rows, ${Date.now() - t0} ms\n`,
      );
    }
  } finally {
    await db.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
