/* Side-by-side benchmark: the product (dist/apps/api/src/main.js) and a bare socket.io + pg
 * reference server (bench/bare), each its own process on its own database of ONE embedded
 * PostgreSQL cluster, driven by the same socket.io-client load from forked load workers on
 * 127.0.0.1. Prints every figure as product / bare (and / bare-batched where it runs) with the
 * ratio; asserts nothing about speed.
 *
 *   npm run bench                          # every scenario, 3 rounds (≈ 13 min on a quiet 2-core box)
 *   npm run bench -- --rounds 1            # one round
 *   npm run bench:input                    # one scenario (also: bench:one-meeting, bench:plenary,
 *                                          #   bench:plenary-join, bench:resume, bench:in-flight,
 *                                          #   bench:memory)
 *   npm run bench:lists                    # GET /api/tasks and /api/ledger beside express + pg (bench/lists.ts)
 *   npm run bench:smoke                    # every scenario at tiny scale, 1 round (< 60 s)
 *   node dist/bench/run.js [scenario …] [--rounds N] [--smoke] [--workers N] [--out file.json]
 *   (or BENCH_SMOKE=1, BENCH_ROUNDS=N, BENCH_WORKERS=N; 3 load workers by default, 2 in smoke)
 *
 * Scenarios: memory, input, one-meeting, plenary-join, plenary-vote, resume, in-flight (see
 * bench/scenarios/*.ts for what each measures). Raw figures go to bench/results/latest.json (smoke:
 * smoke.json), the servers' logs to bench/results/latest-logs/.
 *
 * Open files: a server holds one descriptor per socket (3,000 in the plenary) and so does the
 * load side. Raise the limit before a full run:  ulimit -n 65536  (the bench warns when it is
 * lower than that, and when it is too low for the run at hand). */
import 'reflect-metadata';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { benchConfig, maxSockets, SCENARIOS, type ScenarioName } from './lib/config';
import { LoadPool } from './lib/load-pool';
import { runListsBench } from './lists';
import { installExitHandlers, openFilesLimit, startReaper } from './lib/procs';
import { Report } from './lib/report';
import { RoundServers } from './lib/servers';
import { type Cluster, startCluster, type Target, type TargetEnv, targetEnv } from './lib/targets';
import { type RunCtx, type Scenario, withDeadline } from './scenarios/common';
import { inflightScenario } from './scenarios/inflight';
import { memoryScenario } from './scenarios/memory';
import { plenaryScenario } from './scenarios/plenary';
import { resumeScenario } from './scenarios/resume';
import { inputScenario, oneMeetingScenario } from './scenarios/stepped';

interface Args {
  scenarios: ScenarioName[];
  rounds?: number;
  smoke: boolean;
  workers?: number;
  /** Where the JSON goes; empty: bench/results/latest.json (smoke: smoke.json). */
  out: string;
}

const root = resolve(__dirname, '..', '..');
const LEGEND = [
  'cells: median (min–max) over the rounds; [k/R]: only k of R rounds gave the figure; ratio = product / bare (medians).',
  'input, one-meeting: @N/s = offered rate N inputs/s for one step; achieved = ok acks during the step / its length;',
  '  ceiling = highest rate of the unbroken run of steps (from the lowest) with ≥ 95 % acked ok within 1 s; a server',
  '  stops its steps at a hang (no ack for 10 s while some are outstanding) or after 2 failing steps in a row.',
  'plenary-vote: N = votes acked ok; "sees voted = N" = the last tablet to see a tally with voted ≥ N, after the last ack.',
  'in-flight: health latency of unanswered samples counts with their age at the end of the burst.',
].join('\n');

/** Stops the servers, the workers and the database (set once they exist). */
let cleanup = (): Promise<void> => Promise.resolve();

function parseArgs(argv: string[]): Args {
  const args: Args = {
    scenarios: [],
    smoke: process.env.BENCH_SMOKE === '1',
    out: '',
  };
  const num = (v: string | undefined, flag: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a whole number ≥ 1`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--smoke') args.smoke = true;
    else if (a === '--rounds') args.rounds = num(argv[++i], a);
    else if (a === '--workers') args.workers = num(argv[++i], a);
    else if (a === '--out') args.out = resolve(argv[++i] ?? '');
    else if (a === 'plenary') args.scenarios.push('plenary-join', 'plenary-vote');
    else if ((SCENARIOS as readonly string[]).includes(a)) args.scenarios.push(a as ScenarioName);
    else throw new Error(`unknown argument "${a}" (scenarios: ${SCENARIOS.join(', ')}, plenary)`);
  }
  if (process.env.BENCH_ROUNDS && args.rounds === undefined)
    args.rounds = num(process.env.BENCH_ROUNDS, 'BENCH_ROUNDS');
  if (process.env.BENCH_WORKERS && args.workers === undefined)
    args.workers = num(process.env.BENCH_WORKERS, 'BENCH_WORKERS');
  if (args.scenarios.length === 0) args.scenarios = [...SCENARIOS];
  if (args.out === '') args.out = join(root, 'bench', 'results', args.smoke ? 'smoke.json' : 'latest.json');
  return args;
}

function scenariosFor(selected: readonly ScenarioName[]): Scenario[] {
  const has = (s: ScenarioName): boolean => selected.includes(s);
  const list: Scenario[] = [];
  if (has('memory')) list.push(memoryScenario);
  if (has('input')) list.push(inputScenario);
  if (has('one-meeting')) list.push(oneMeetingScenario);
  if (has('plenary-join') || has('plenary-vote'))
    list.push(plenaryScenario(has('plenary-join'), has('plenary-vote')));
  if (has('resume')) list.push(resumeScenario);
  if (has('in-flight')) list.push(inflightScenario);
  return list;
}

async function main(): Promise<void> {
  // The list benchmark is HTTP against its own pair of servers (bench/lists.ts).
  if (process.argv[2] === 'lists') return runListsBench();
  const args = parseArgs(process.argv.slice(2));
  const cfg = benchConfig({ smoke: args.smoke, rounds: args.rounds, workers: args.workers });
  const t0 = Date.now();
  const log = (line: string): void =>
    void process.stdout.write(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
  const need = maxSockets(cfg, args.scenarios) + 512;
  const limit = openFilesLimit();
  log(
    `bench: ${args.smoke ? 'SMOKE, ' : ''}${cfg.rounds} round(s), ${cfg.workers} load workers, ${cpus().length} cores, node ${process.version}; scenarios: ${args.scenarios.join(', ')}`,
  );
  if (limit < need)
    log(
      `WARNING: the open-files limit is ${limit}, below the ~${need} this run needs: run  ulimit -n 65536  first`,
    );
  else if (limit < 65536) log(`note: open-files limit ${limit} (enough for this run; 65536 recommended)`);

  const runDir = mkdtempSync(join(tmpdir(), 'liexi-bench-'));
  // Its own top-level folder: as root, the embedded server runs as a postgres user that must reach it.
  const pgDir = mkdtempSync(join(tmpdir(), 'liexi-bench-pg-'));
  startReaper(pgDir, [runDir]);
  // The servers' logs go beside the results (replaced at every run); the cluster lives in runDir.
  const logDir = join(dirname(args.out), `${basename(args.out, '.json')}-logs`);
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  let cluster: Cluster | null = null;
  let pool: LoadPool | null = null;
  const live = new Set<Target>();
  cleanup = async (): Promise<void> => {
    await Promise.allSettled([...live].map((t) => t.stop()));
    await pool?.stop().catch(() => undefined);
    await cluster?.stop().catch(() => undefined);
    rmSync(runDir, { recursive: true, force: true });
    rmSync(pgDir, { recursive: true, force: true });
  };
  installExitHandlers(cleanup);

  const report = new Report(cfg.rounds);
  const started: { target: string; log: string; pid: number }[] = [];
  cluster = await startCluster(pgDir);
  log(`PostgreSQL (embedded, fsync on) on port ${cluster.port}; templates migrated`);
  const env: TargetEnv = targetEnv(root, runDir, logDir, cluster);
  pool = LoadPool.start(cfg.workers);
  const scenarios = scenariosFor(args.scenarios);
  const ctxBase = { cfg, pool, report, cluster, log, selected: args.scenarios };
  for (const sc of scenarios) sc.declare({ ...ctxBase, round: 0 });

  for (let round = 0; round < cfg.rounds; round++) {
    log(
      `── round ${round + 1}/${cfg.rounds}: starting the servers (${cfg.shareServers ? 'one per kind for the round' : 'a fresh process and database per scenario'})`,
    );
    const servers = new RoundServers(
      env,
      cfg.shareServers,
      round,
      (t) => {
        live.add(t);
        started.push({ target: t.name, log: t.logFile, pid: t.pid });
      },
      (t) => live.delete(t),
    );
    await servers.prepare(scenarios);
    for (const [i, sc] of scenarios.entries()) {
      const ctx: RunCtx = { ...ctxBase, round };
      const order = round % 2 === 0 ? sc.targets : [...sc.targets].reverse();
      const title = sc.names.join(' + ');
      for (const name of order) {
        const target = await servers.get(i, name, scenarios);
        log(`  ${title} — ${name}`);
        let failed = false;
        try {
          await withDeadline(sc.run(ctx, target), cfg.deadlineMs[sc.names.at(-1)!], `${title} on ${name}`);
        } catch (err) {
          failed = true;
          const msg = err instanceof Error ? err.message : String(err);
          log(`    FAILED: ${msg}`);
          report.notes.push(`round ${round + 1}, ${title}, ${name}: ${msg}`);
          await pool.all({ op: 'abort' }, 10_000).catch(() => undefined);
        } finally {
          await pool.closeAll();
          await servers.release(i, target, failed);
        }
      }
    }
    await servers.finish();
  }

  const table = report.table();
  const minutes = ((Date.now() - t0) / 60_000).toFixed(1);
  process.stdout.write(`\n${table}\n\n${LEGEND}\n`);
  for (const n of report.notes) process.stdout.write(`note: ${n}\n`);
  report.write(args.out, {
    startedAt: new Date(t0).toISOString(),
    durationMs: Date.now() - t0,
    smoke: cfg.smoke,
    rounds: cfg.rounds,
    workers: cfg.workers,
    scenarios: args.scenarios,
    machine: { cores: cpus().length, node: process.version, openFilesLimit: limit },
    postgres: { port: cluster.port },
    config: cfg,
    servers: started,
  });
  log(`done in ${minutes} min; figures in ${args.out}`);
  await cleanup();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(
      `bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    void cleanup().finally(() => process.exit(1));
  },
);
