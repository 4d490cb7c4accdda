/* Scenarios `input` (10 meetings × 50 tablets) and `one-meeting` (1 × 500): stepped offered
 * rates of input.submit. Each step sends at its rate for stepMs (open loop), then waits for the
 * step's acks (at most drainCapMs). Per step: achieved acked rate (ok acks during the sending
 * window / its length), ack latency p50/p95, unanswered. The ceiling is the highest rate, in the
 * unbroken run of passing steps from the lowest, with ≥ 95 % of the inputs acked ok within 1 s.
 * A server whose acks stop for hangMs while some are outstanding "hangs at N/s": its steps stop.
 * Its steps also stop after maxFailingSteps failing steps in a row (the backlog only grows). */
import type { SteppedScale } from '../lib/config';
import type { ScenarioName } from '../lib/config';
import { ascending, percentile } from '../lib/stats';
import type { Target } from '../lib/targets';
import type { TabletSpec } from '../load/protocol';
import { mergeErrors, openTablets, recorder, type RunCtx, type Scenario, sleep, sum } from './common';

const stepFigures = (rate: number, observe: boolean): [string, string][] => [
  [`@${rate}/s achieved`, 'acks/s'],
  [`@${rate}/s ack p50`, 'ms'],
  [`@${rate}/s ack p95`, 'ms'],
  [`@${rate}/s acked ≤ 1 s`, '%'],
  [`@${rate}/s unanswered`, 'n'],
  ...(observe
    ? ([
        [`@${rate}/s push p50`, 'ms'],
        [`@${rate}/s push p95`, 'ms'],
      ] as [string, string][])
    : []),
];

function stepped(name: ScenarioName, scaleOf: (ctx: RunCtx) => SteppedScale): Scenario {
  return {
    names: [name],
    targets: ['product', 'bare'],
    declare(ctx) {
      const scale = scaleOf(ctx);
      const observe = scale.observersPerWorker > 0;
      for (const [f, u] of [
        ['ceiling (≥95 % acked ≤ 1 s)', 'inputs/s'],
        ['max achieved', 'acks/s'],
        ['hang at', 'offered/s'],
        ['tablets joined', 'n'],
      ])
        ctx.report.declare(name, f, u);
      for (const r of scale.rates)
        for (const [f, u] of stepFigures(r, observe)) ctx.report.declare(name, f, u);
    },
    async run(ctx, target) {
      await runStepped(ctx, target, name, scaleOf(ctx));
    },
  };
}

async function runStepped(
  ctx: RunCtx,
  target: Target,
  name: ScenarioName,
  scale: SteppedScale,
): Promise<void> {
  const rec = recorder(ctx, name, target);
  const W = ctx.pool.size;
  const observe = scale.observersPerWorker > 0;
  const specs: TabletSpec[] = [];
  for (let m = 0; m < scale.meetings; m++) {
    const meeting = await target.meeting(scale.tabletsPerMeeting);
    meeting.tokens.forEach((token, i) => {
      // Dealt round-robin: tablets 0..W-1 land one per worker.
      const observer = i < scale.observersPerWorker * W;
      specs.push({ key: `m${m}t${i}`, token, meetingId: meeting.meetingId, observer, submitter: !observer });
    });
  }
  const opened = await openTablets(ctx, target, specs);
  rec('tablets joined', 'n', opened.opened);

  let ceiling = 0;
  let broken = false;
  let failing = 0;
  let maxAchieved = 0;
  const steps: unknown[] = [];
  for (const rate of scale.rates) {
    const res = await ctx.pool.all(
      {
        op: 'step',
        rate: rate / W,
        durationMs: scale.stepMs,
        drainCapMs: scale.drainCapMs,
        hangMs: scale.hangMs,
      },
      scale.stepMs + scale.drainCapMs + 30_000,
    );
    const sent = sum(res.map((r) => r.sent));
    const latencies = ascending(res.flatMap((r) => r.latencies));
    const within1s = latencies.filter((l) => l <= 1000).length;
    const achieved = sum(res.map((r) => r.acksInWindow)) / (scale.stepMs / 1000);
    const unanswered = sum(res.map((r) => r.unanswered));
    const errors = mergeErrors(res.map((r) => r.errors));
    const pass = sent > 0 && within1s >= 0.95 * sent;
    const figs: Record<string, number> = {
      achieved,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      pct: sent > 0 ? (100 * within1s) / sent : NaN,
      unanswered,
    };
    rec(`@${rate}/s achieved`, 'acks/s', achieved);
    rec(`@${rate}/s ack p50`, 'ms', figs.p50);
    rec(`@${rate}/s ack p95`, 'ms', figs.p95);
    rec(`@${rate}/s acked ≤ 1 s`, '%', figs.pct);
    rec(`@${rate}/s unanswered`, 'n', unanswered);
    if (observe) {
      await sleep(300); // pushes still on their way to the observers
      const pushes = await ctx.pool.all({ op: 'pushes' }, 30_000);
      const submitted: Record<string, number> = Object.assign({}, ...res.map((r) => r.submitted)) as Record<
        string,
        number
      >;
      const push = ascending(
        pushes.flatMap((p) => p.seen.filter(([id]) => id in submitted).map(([id, at]) => at - submitted[id])),
      );
      figs.pushP50 = percentile(push, 50);
      figs.pushP95 = percentile(push, 95);
      figs.pushSamples = push.length;
      rec(`@${rate}/s push p50`, 'ms', figs.pushP50);
      rec(`@${rate}/s push p95`, 'ms', figs.pushP95);
    }
    maxAchieved = Math.max(maxAchieved, achieved);
    if (pass && !broken) ceiling = rate;
    if (!pass) broken = true;
    failing = pass ? 0 : failing + 1;
    const withUnanswered = res.filter((r) => r.unanswered > 0);
    const hang = withUnanswered.length > 0 && withUnanswered.every((r) => r.hang);
    steps.push({ rate, sent, ok: latencies.length, errors, hang, ...figs });
    ctx.log(
      `    ${target.name} @${rate}/s: sent ${sent}, achieved ${achieved.toFixed(0)}/s, p50 ${figs.p50.toFixed(0)} ms, p95 ${figs.p95.toFixed(0)} ms, ≤1 s ${figs.pct.toFixed(0)} %, unanswered ${unanswered}` +
        (observe ? `, push p50/p95 ${figs.pushP50.toFixed(0)}/${figs.pushP95.toFixed(0)} ms` : '') +
        (Object.keys(errors).length > 0 ? `, errors ${JSON.stringify(errors)}` : '') +
        (hang ? ' — HANG' : ''),
    );
    if (hang) {
      rec('hang at', 'offered/s', rate);
      ctx.report.notes.push(
        `${name}, round ${ctx.round + 1}: ${target.name} hangs at ${rate}/s (no ack for ${scale.hangMs} ms)`,
      );
      break;
    }
    if (failing >= scale.maxFailingSteps) break;
  }
  rec('ceiling (≥95 % acked ≤ 1 s)', 'inputs/s', ceiling);
  rec('max achieved', 'acks/s', maxAchieved);
  ctx.report.addRaw({
    scenario: name,
    round: ctx.round,
    target: target.name,
    data: { opened: opened.opened, steps },
  });
}

export const inputScenario = stepped('input', (ctx) => ctx.cfg.input);
export const oneMeetingScenario = stepped('one-meeting', (ctx) => ctx.cfg.oneMeeting);
