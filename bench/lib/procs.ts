/* Child processes of the benchmark: every one is registered here and killed on exit, on
 * SIGINT/SIGTERM and on errors. Servers are started with a preload (bench/lib/lifeline.js) that
 * ends them when the orchestrator's stdin pipe closes, so even a killed orchestrator leaves no
 * server behind. */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const children = new Set<ChildProcess>();
const alive = (c: ChildProcess): boolean => c.exitCode === null && c.signalCode === null;

export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Kills every child still running (synchronous: usable in an 'exit' handler). */
export function killAllChildren(signal: NodeJS.Signals = 'SIGKILL'): number {
  let n = 0;
  for (const c of children) {
    if (!alive(c)) continue;
    try {
      c.kill(signal);
      n++;
    } catch {
      // already gone
    }
  }
  return n;
}

export function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (!alive(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** SIGTERM, then SIGKILL after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (!alive(child)) return;
  child.kill('SIGTERM');
  if (!(await waitExit(child, graceMs))) {
    child.kill('SIGKILL');
    await waitExit(child, 2000);
  }
}

/** Resident set size of a process in MiB, from /proc/<pid>/status (VmRSS); NaN when unknown. */
export function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** The soft open-files limit of this process (Node raises it to the hard limit at start-up). */
export function openFilesLimit(): number {
  try {
    const m = /Max open files\s+(\d+|unlimited)/.exec(readFileSync('/proc/self/limits', 'utf8'));
    return !m ? NaN : m[1] === 'unlimited' ? Infinity : Number(m[1]);
  } catch {
    return NaN;
  }
}

export interface ServerProcess {
  pid: number;
  child: ChildProcess;
  logFile: string;
  stop(graceMs?: number): Promise<void>;
}

/** Starts `node <script>` with the lifeline preload; output goes to `logFile`. */
export function spawnServer(opts: {
  script: string;
  env: Record<string, string>;
  logFile: string;
  cwd: string;
  /** Extra node options (e.g. a CPU profile). */
  nodeArgs?: string[];
}): ServerProcess {
  const fd = openSync(opts.logFile, 'a');
  const child = track(
    spawn(process.execPath, [...(opts.nodeArgs ?? []), '-r', join(__dirname, 'lifeline.js'), opts.script], {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: ['pipe', fd, fd],
    }),
  );
  closeSync(fd);
  return {
    pid: child.pid ?? -1,
    child,
    logFile: opts.logFile,
    stop: (graceMs = 5000) => stopChild(child, graceMs),
  };
}

/**
 * The reaper (bench/lib/reaper.js): stops the embedded PostgreSQL in `pgDir` and removes the
 * folders if the orchestrator dies without cleaning up. Not tracked: it outlives the orchestrator
 * on purpose, and after a normal clean-up it finds nothing to do.
 */
export function startReaper(pgDir: string, folders: string[]): ChildProcess {
  const child = spawn(process.execPath, [join(__dirname, 'reaper.js'), pgDir, ...folders], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  child.unref();
  return child;
}

export function forkWorker(script: string): ChildProcess {
  return track(fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
}

/** Waits until GET `url` answers 200, the child exits (error), or `timeoutMs` passes. */
export async function waitHealthy(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive(child))
      throw new Error(`exited with code ${child.exitCode ?? child.signalCode} before it was healthy`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not healthy within ${timeoutMs} ms`);
}

/** Installs the clean-up for every way the orchestrator can end. */
export function installExitHandlers(cleanup: () => Promise<void>): void {
  let cleaning = false;
  const bail = (why: string, code: number): void => {
    if (cleaning) return;
    cleaning = true;
    process.stderr.write(`\nbench: ${why}; stopping the servers and the database …\n`);
    killAllChildren('SIGTERM');
    const hard = setTimeout(() => {
      killAllChildren('SIGKILL');
      process.exit(code);
    }, 10_000);
    hard.unref();
    void cleanup().finally(() => {
      killAllChildren('SIGKILL');
      process.exit(code);
    });
  };
  process.once('SIGINT', () => bail('interrupted (SIGINT)', 130));
  process.once('SIGTERM', () => bail('terminated (SIGTERM)', 143));
  process.on('uncaughtException', (err) => bail(`uncaught ${err.stack ?? err.message}`, 1));
  process.on('unhandledRejection', (err) => bail(`unhandled rejection ${String(err)}`, 1));
  process.on('exit', () => void killAllChildren('SIGKILL'));
}
