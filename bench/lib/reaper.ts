/* Started by the orchestrator with a pipe on stdin: when the orchestrator ends without cleaning
 * up (even killed with SIGKILL), the pipe closes and this stops the embedded PostgreSQL (fast
 * shutdown of the postmaster named in postmaster.pid) and removes the run's folders.
 *   node dist/bench/lib/reaper.js <pg data dir> [folder to remove …] */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const [pgDir, ...folders] = process.argv.slice(2);

function postmaster(): number | null {
  const file = join(pgDir, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function reap(): Promise<void> {
  const pid = postmaster();
  if (pid !== null && alive(pid)) {
    process.kill(pid, 'SIGINT'); // fast shutdown
    for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
  for (const f of [pgDir, ...folders]) rmSync(f, { recursive: true, force: true });
}

process.stdin.on('end', () => void reap().finally(() => process.exit(0)));
process.stdin.on('error', () => void reap().finally(() => process.exit(0)));
process.stdin.resume();
