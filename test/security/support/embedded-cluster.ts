import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../../support/build';

export interface StartedCluster {
  /** The api role's URL of the database `liexi`. */
  url: string;
  adminUrl: string;
  port: number;
  /** The postmaster's pid. */
  pid: number;
}

/**
 * An embedded PostgreSQL cluster started by a process of its own, as the api starts it (from
 * dist/: the package is ESM and cannot load inside a Jest sandbox), persistent on `dir` so that
 * it can be started again on the same data (and `port`, when given). Its log lines go to
 * `lines`; on SIGTERM the process stops the server, on SIGKILL it leaves it running.
 */
export function startClusterProcess(
  dir: string,
  credentialsFile: string,
  lines: string[],
  port?: number,
): Promise<{ child: ChildProcess; db: StartedCluster }> {
  const module = join(ROOT, 'dist/libs/platform/src/database/embedded-postgres.js');
  const script = `
    const { startEmbeddedPostgres } = require(${JSON.stringify(module)});
    const port = process.argv[3] ? Number(process.argv[3]) : undefined;
    startEmbeddedPostgres({ dir: process.argv[1], credentialsFile: process.argv[2], database: 'liexi',
      port, persistent: true, log: (l) => process.stdout.write('log ' + l + '\\n') })
      .then((db) => {
        const info = { url: db.url, adminUrl: db.adminUrl, port: db.port, pid: db.pid };
        process.stdout.write('ready ' + JSON.stringify(info) + '\\n');
        process.on('SIGTERM', () => db.stop(5000).then(() => process.exit(0)));
        setInterval(() => undefined, 1 << 30);
      })
      .catch((err) => { process.stdout.write('failed ' + err.message + '\\n'); process.exit(1); });`;
  const child = spawn(process.execPath, ['-e', script, dir, credentialsFile, port ? String(port) : ''], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout?.on('data', (d: Buffer) => {
      buffer += d.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith('log ')) lines.push(line.slice(4));
        else if (line.startsWith('ready '))
          resolve({ child, db: JSON.parse(line.slice(6)) as StartedCluster });
        else if (line.startsWith('failed ')) reject(new Error(line));
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
  });
}

export const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
