/* What every scenario gets: the config, the load workers, the report and the round; helpers to
 * open tablets on a server and to record figures. */
import type { OpenResult, TabletSpec } from '../load/protocol';
import type { BenchConfig, ScenarioName } from '../lib/config';
import type { Cluster, Target, TargetName } from '../lib/targets';
import type { LoadPool } from '../lib/load-pool';
import type { Report } from '../lib/report';
import { maxOf, minOf } from '../lib/stats';

export interface RunCtx {
  cfg: BenchConfig;
  pool: LoadPool;
  report: Report;
  round: number;
  cluster: Cluster;
  log(line: string): void;
  /** Scenarios of this run (plenary-join and plenary-vote share their tablets when both run). */
  selected: readonly ScenarioName[];
}

export interface Scenario {
  /** The scenarios whose figures this run produces. */
  names: ScenarioName[];
  targets: TargetName[];
  /** Fixes the order of the figures in the table. */
  declare(ctx: RunCtx): void;
  run(ctx: RunCtx, target: Target): Promise<void>;
}

export type Rec = (figure: string, unit: string, value: number) => void;

export function recorder(ctx: RunCtx, scenario: ScenarioName, target: Target, suffix = ''): Rec {
  return (figure, unit, value) =>
    ctx.report.record(scenario, `${figure}${suffix}`, unit, target.column, ctx.round, value);
}

export const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

export function mergeErrors(all: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of all) for (const [k, v] of Object.entries(e)) out[k] = (out[k] ?? 0) + v;
  return out;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface Opened {
  dealt: TabletSpec[][];
  results: OpenResult[];
  opened: number;
  failed: number;
  errors: Record<string, number>;
  /** First connect → last join ack, over every worker. */
  spanMs: number;
  joinMs: number[];
}

/** Connects (and joins) the tablets, dealt round-robin over the workers. */
export async function openTablets(
  ctx: RunCtx,
  target: Target,
  specs: TabletSpec[],
  join = true,
): Promise<Opened> {
  const dealt = ctx.pool.deal(specs);
  const results = await ctx.pool.all(
    (w) => ({
      op: 'open',
      url: target.url,
      tablets: dealt[w],
      concurrency: ctx.cfg.connectConcurrency,
      join,
      timeoutMs: 60_000,
    }),
    600_000,
  );
  const starts = results.filter((r) => r.firstConnectAt > 0).map((r) => r.firstConnectAt);
  const ends = results.filter((r) => r.lastJoinAckAt > 0).map((r) => r.lastJoinAckAt);
  const opened = sum(results.map((r) => r.opened));
  const out: Opened = {
    dealt,
    results,
    opened,
    failed: sum(results.map((r) => r.failed)),
    errors: mergeErrors(results.map((r) => r.errors)),
    spanMs: maxOf(ends) - minOf(starts),
    joinMs: results.flatMap((r) => r.joinMs),
  };
  if (out.failed > 0)
    ctx.log(
      `    ${target.name}: ${out.failed} of ${specs.length} tablets failed to open: ${JSON.stringify(out.errors)}`,
    );
  return out;
}

/** Rejects when `p` takes longer than `ms`. */
export function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: hard deadline of ${ms} ms reached`)), ms);
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}

export const ms = (n: number): string => (Number.isFinite(n) ? `${n.toFixed(0)} ms` : '—');
