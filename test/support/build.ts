import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
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

/**
 * dist/ as `npm start` builds it (scripts/build.cjs), rebuilt when missing or older than a
 * source. For tests that run the api or the embedded PostgreSQL as real processes (the package
 * is ESM: it cannot be loaded inside a Jest sandbox).
 */
export function buildIfStale(): void {
  const marker = join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
  const sources = Math.max(...['apps', 'libs', 'bench', 'scripts'].map((d) => newestSource(join(ROOT, d))));
  if (existsSync(marker) && statSync(marker).mtimeMs >= sources) return;
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.cjs')], { cwd: ROOT, stdio: 'pipe' });
}
