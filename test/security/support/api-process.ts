/* The built api (dist/) as a real process for the slow security tests: a clean environment (no
 * inherited NODE_ENV or DATABASE_URL), the settings every such test shares, and its output kept
 * by the caller. */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../../support/build';

/** What every slow security test runs the api with; each adds its own DATA_DIR, PORT, …. */
export const API_TEST_ENV: Readonly<Record<string, string>> = {
  HOST: '127.0.0.1',
  JWT_SECRET: '9d2f6c1e8b7a0f3e5d4c2b1a9e8f7d6c5b4a3f2e',
  LIVE_RATE_LIMIT: '100000',
  AUTH_RATE_LIMIT: '100000',
  JOBS_ENABLED: 'false',
};

/** Starts `dist/apps/api/src/main.js` with API_TEST_ENV and `env`; every output line goes to `onOutput`. */
export function spawnApi(env: Record<string, string>, onOutput: (text: string) => void): ChildProcess {
  const child = spawn(process.execPath, [join(ROOT, 'dist/apps/api/src/main.js')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...API_TEST_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => onOutput(d.toString()));
  child.stderr?.on('data', (d: Buffer) => onOutput(d.toString()));
  return child;
}

/** Until `GET base/api/health` answers 200; throws with the output when the api exits or time is up. */
export async function waitReady(
  child: ChildProcess,
  base: string,
  output: () => string,
  timeoutMs = 120_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the api exited:\n${output()}`);
    const ok = await fetch(`${base}/api/health`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return;
    if (Date.now() > until) throw new Error(`the api did not become ready:\n${output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
