/* The side-by-side benchmark at smoke scale (bench/run.ts --smoke): every scenario runs against
 * the product and the bare server, as separate processes, on one embedded PostgreSQL. Asserts
 * only that every scenario produced its figures (numbers, never speed thresholds) and that the
 * servers and the database were stopped. Builds dist/ first when it is missing or stale. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIfStale } from './support/build';

const root = join(__dirname, '..');
const runJs = join(root, 'dist', 'bench', 'run.js');

function run(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [runJs, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGINT'), 150_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const refused = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });

/** Figures each scenario must give as numbers, per column. */
const REQUIRED: Record<string, { figures: string[]; columns: string[] }> = {
  memory: { figures: ['RSS per 1,000 joined tablets', 'RSS before'], columns: ['product', 'bare'] },
  input: {
    figures: [
      'ceiling (≥95 % acked ≤ 1 s)',
      'max achieved',
      '@10/s ack p50',
      '@10/s ack p95',
      '@10/s unanswered',
    ],
    columns: ['product', 'bare'],
  },
  'one-meeting': {
    figures: ['ceiling (≥95 % acked ≤ 1 s)', '@10/s ack p95', '@10/s push p50', '@10/s push p95'],
    columns: ['product', 'bare'],
  },
  'plenary-join': {
    figures: ['first connect → last join ack', 'join ack p50', 'join ack p95'],
    columns: ['product', 'bare'],
  },
  'plenary-vote': {
    figures: [
      'open → last vote ack',
      'vote ack p50',
      'vote ack p95',
      'vote ack p99',
      'tablets that never saw voted = N',
      'longest gap between tallies',
    ],
    columns: ['product', 'bare', 'bare-batched'],
  },
  resume: {
    figures: ['catch-up join ack (median)', 'events per catch-up (median)'],
    columns: ['product', 'bare'],
  },
  'in-flight': {
    figures: [
      'acked ok within deadline',
      'health max during burst',
      'health p95 during burst',
      'acked ok within deadline [DB_POOL_SIZE=5]',
    ],
    columns: ['product', 'bare'],
  },
};

describe('bench smoke (product and bare side by side)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'liexi-bench-smoke-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs every scenario, gives every figure, and stops the servers and the database', async () => {
    buildIfStale();
    const out = join(dir, 'smoke.json');
    const { code, output } = await run(['--smoke', '--out', out]);
    if (code !== 0) throw new Error(`bench --smoke exited with ${code}:\n${output}`);
    const result = JSON.parse(readFileSync(out, 'utf8'));
    expect(result.smoke).toBe(true);

    for (const [scenario, req] of Object.entries(REQUIRED)) {
      for (const figure of req.figures) {
        const f = result.figures.find((x: any) => x.scenario === scenario && x.figure === figure);
        expect({ scenario, figure, found: Boolean(f) }).toEqual({ scenario, figure, found: true });
        for (const column of req.columns) {
          const value = f.values[column][0];
          expect({
            scenario,
            figure,
            column,
            isNumber: typeof value === 'number' && Number.isFinite(value),
          }).toEqual({
            scenario,
            figure,
            column,
            isNumber: true,
          });
        }
      }
    }
    expect(result.figures.length).toBeGreaterThan(40);
    expect(output).toContain('product/bare');

    // Every server process is gone, and so is the embedded PostgreSQL.
    const servers: { target: string; pid: number }[] = result.servers;
    expect(servers.filter((s) => s.target.startsWith('product')).length).toBeGreaterThan(0);
    expect(servers.filter((s) => s.target.startsWith('bare')).length).toBeGreaterThan(0);
    expect(servers.filter((s) => alive(s.pid))).toEqual([]);
    expect(typeof result.postgres.port).toBe('number');
    expect(await refused(result.postgres.port)).toBe(true);
  }, 170_000);
});
