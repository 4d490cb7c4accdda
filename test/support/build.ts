import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

/** Newest modification time of the TypeScript sources the build compiles. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function stale(): boolean {
  const markers = ['dist/apps/api/src/main.js', 'dist/bench/run.js'].map((m) => join(ROOT, m));
  const sources = Math.max(...['apps', 'libs', 'bench', 'scripts'].map((d) => newestSource(join(ROOT, d))));
  return markers.some((m) => !existsSync(m) || statSync(m).mtimeMs < sources);
}

const sleepSync = (ms: number): void =>
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms) as never;

/**
 * dist/ as `npm start` builds it (scripts/build.cjs), rebuilt when missing or older than a
 * source. For tests that run the api, the benchmark or the embedded PostgreSQL as real processes
 * (the package is ESM: it cannot load inside a Jest sandbox). Jest workers build one at a time
 * (a lock folder): the build empties dist/ first, so two at once would break each other.
 */
export function buildIfStale(): void {
  if (!stale()) return;
  const lock = join(ROOT, '.dist-build.lock');
  const until = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another worker builds; a lock older than 10 minutes is left over from a killed run.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 10 * 60_000)
        rmSync(lock, { recursive: true, force: true });
      if (Date.now() > until) throw new Error(`${lock} is held too long`);
      sleepSync(500);
    }
  }
  try {
    if (stale())
      execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.cjs')], { cwd: ROOT, stdio: 'pipe' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
