import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

/** What `postmaster.pid` says: the server's pid, data folder and port (lines 1, 2 and 4). */
export interface PostmasterLock {
  pid: number;
  dataDir: string;
  port: number | null;
}

export function readPostmasterLock(dataDir: string): PostmasterLock | null {
  const file = join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const lines = readFileSync(file, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0) return { pid: 0, dataDir: lines[1] ?? '', port: null };
  return { pid, dataDir: lines[1] ?? '', port: Number.isInteger(port) && port > 0 ? port : null };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The command line of a process (`/proc`, or `ps` where there is none); null when unknown. */
export function commandLine(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    try {
      return execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).trim() || null;
    } catch {
      return null;
    }
  }
}

/** The parent pid of a process (Linux `/proc`); null when unknown. */
function parentPid(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid … — comm may hold spaces and parentheses: read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) ? ppid : null;
  } catch {
    return null;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function exited(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (isAlive(pid)) {
    if (Date.now() > until) return false;
    await sleep(50);
  }
  return true;
}

function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Before starting the embedded PostgreSQL on `dataDir`: if an earlier api process died without
 * stopping it (`kill -9`, a crash, a closed terminal), its postmaster still runs on the folder
 * and a new one would refuse to start. Decides from `postmaster.pid` and says what it did:
 *
 * - no lock file, or its pid is gone: nothing to do (PostgreSQL recovers from its log);
 * - the pid now belongs to another program: the lock file is stale and is removed;
 * - an orphaned postmaster of this folder: it is stopped (fast shutdown: open transactions roll
 *   back, committed ones stay), then started afresh by the caller;
 * - a postmaster whose parent api is still running: refused — two apis must not share a folder.
 */
export async function clearStalePostmaster(
  dataDir: string,
  log: (line: string) => void,
  waitMs = 30_000,
): Promise<void> {
  const lock = readPostmasterLock(dataDir);
  if (!lock) return;
  if (lock.pid === 0 || !isAlive(lock.pid)) {
    log(
      `database: the previous PostgreSQL on ${dataDir} did not shut down cleanly (stale lock of pid ${lock.pid || '?'}); it recovers from its write-ahead log`,
    );
    return;
  }
  const cmd = commandLine(lock.pid);
  if (cmd === null)
    throw new Error(
      `${dataDir} is locked by process ${lock.pid}, which cannot be inspected here; stop it if it is an old PostgreSQL, then start again`,
    );
  const ours = /postgres/.test(cmd) && (cmd.includes(dataDir) || cmd.includes(canonical(dataDir)));
  if (!ours) {
    log(
      `database: the lock file of ${dataDir} names pid ${lock.pid}, now another program (${cmd.slice(0, 60)}); removing the stale lock`,
    );
    unlinkSync(join(dataDir, 'postmaster.pid'));
    return;
  }
  const parent = parentPid(lock.pid);
  const parentCmd = parent !== null && parent > 1 ? commandLine(parent) : null;
  if (
    parent !== null &&
    parent !== process.pid &&
    parentCmd !== null &&
    /\bnode\b|liexi|main\.js/.test(parentCmd)
  )
    throw new Error(
      `${dataDir} is in use by the PostgreSQL of another running api (postgres pid ${lock.pid}, api pid ${parent}); stop that api or use another DATA_DIR`,
    );
  log(
    `database: an embedded PostgreSQL left running by an earlier api process (pid ${lock.pid}, port ${lock.port ?? '?'}) still holds ${dataDir}; stopping it (fast shutdown) before starting afresh`,
  );
  try {
    process.kill(lock.pid, 'SIGCONT'); // a frozen server must wake up to shut down
    process.kill(lock.pid, 'SIGINT');
  } catch {
    // gone in between
  }
  if (await exited(lock.pid, waitMs)) {
    log(`database: the earlier PostgreSQL (pid ${lock.pid}) stopped`);
    return;
  }
  log(`database: the earlier PostgreSQL (pid ${lock.pid}) ignored a fast shutdown; stopping it immediately`);
  try {
    process.kill(lock.pid, 'SIGQUIT');
  } catch {
    // gone in between
  }
  if (!(await exited(lock.pid, 5_000)))
    throw new Error(`the earlier PostgreSQL (pid ${lock.pid}) on ${dataDir} does not stop; stop it by hand`);
}
