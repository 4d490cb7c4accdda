/* Scenarios `plenary-join` and `plenary-vote` (3,000 tablets in one meeting). When both run,
 * they share one connect of the tablets per server.
 * join: time from the first connect to the last join ack; join ack p50/p95.
 * vote: the chair (product: a secretariat token) emits poll.open; every tablet votes on seeing
 * poll.opened. Figures: open → last vote ack; vote ack p50/p95/p99; tally staleness = max over
 * tablets of (when it saw a tally with voted = N) − (the last vote ack overall), with N the
 * votes acked ok; and the longest gap between two consecutive tallies at any tablet. */
import { connectSocket } from '../load/tablet';
import type { TabletSpec, WireAck } from '../load/protocol';
import { ascending, maxOf, minOf, now, percentile } from '../lib/stats';
import type { Target } from '../lib/targets';
import { mergeErrors, openTablets, recorder, type RunCtx, type Scenario, sum } from './common';

const JOIN_FIGURES: [string, string][] = [
  ['first connect → last join ack', 'ms'],
  ['join ack p50', 'ms'],
  ['join ack p95', 'ms'],
  ['tablets joined', 'n'],
];
const VOTE_FIGURES: [string, string][] = [
  ['open → last vote ack', 'ms'],
  ['vote ack p50', 'ms'],
  ['vote ack p95', 'ms'],
  ['vote ack p99', 'ms'],
  ['votes acked ok', 'n'],
  ['last ack → every tablet sees voted = N', 'ms'],
  ['tablets that never saw voted = N', 'n'],
  ['longest gap between tallies', 'ms'],
  ['tallies per tablet (median)', 'n'],
];

export function plenaryScenario(withJoin: boolean, withVote: boolean): Scenario {
  return {
    names: [
      ...(withJoin ? (['plenary-join'] as const) : []),
      ...(withVote ? (['plenary-vote'] as const) : []),
    ],
    targets: withVote ? ['product', 'bare', 'bare-batched'] : ['product', 'bare'],
    declare(ctx) {
      if (withJoin) for (const [f, u] of JOIN_FIGURES) ctx.report.declare('plenary-join', f, u);
      if (withVote) for (const [f, u] of VOTE_FIGURES) ctx.report.declare('plenary-vote', f, u);
    },
    run: (ctx, target) => runPlenary(ctx, target, withJoin, withVote),
  };
}

async function runPlenary(ctx: RunCtx, target: Target, withJoin: boolean, withVote: boolean): Promise<void> {
  const n = ctx.cfg.plenary.tablets;
  const meeting = await target.meeting(n);
  const specs: TabletSpec[] = meeting.tokens.map((token, i) => ({
    key: `p${i}`,
    token,
    meetingId: meeting.meetingId,
    voter: withVote,
  }));
  const opened = await openTablets(ctx, target, specs);
  const joins = ascending(opened.joinMs);
  const raw: Record<string, unknown> = {
    opened: opened.opened,
    failed: opened.failed,
    errors: opened.errors,
  };
  if (withJoin) {
    const rec = recorder(ctx, 'plenary-join', target);
    rec('first connect → last join ack', 'ms', opened.spanMs);
    rec('join ack p50', 'ms', percentile(joins, 50));
    rec('join ack p95', 'ms', percentile(joins, 95));
    rec('tablets joined', 'n', opened.opened);
  }
  ctx.log(
    `    ${target.name}: ${opened.opened}/${n} joined; first connect → last join ack ${opened.spanMs.toFixed(0)} ms, join p50/p95 ${percentile(joins, 50).toFixed(0)}/${percentile(joins, 95).toFixed(0)} ms`,
  );
  if (withVote) raw.vote = await vote(ctx, target, meeting.meetingId, opened.dealt);
  ctx.report.addRaw({ scenario: 'plenary', round: ctx.round, target: target.name, data: raw });
}

async function vote(ctx: RunCtx, target: Target, meetingId: string, dealt: TabletSpec[][]): Promise<unknown> {
  const rec = recorder(ctx, 'plenary-vote', target);
  const cfg = ctx.cfg.plenary;
  const chair = await connectSocket(target.url, await target.chairToken(), 30_000);
  try {
    const t0 = now();
    const openAck = (await chair.timeout(60_000).emitWithAck('poll.open', {
      meetingId,
      kind: 'named',
      question: '常委会专项工作评议：票决被评议单位',
      choices: ['yes', 'no', 'abstain'],
    })) as WireAck<{ pollId: string }>;
    if (!openAck.ok || !openAck.data) throw new Error(`poll.open refused: ${JSON.stringify(openAck.error)}`);
    const acks = await ctx.pool.all(
      (w) => ({ op: 'vote.acks', expected: dealt[w].length, timeoutMs: cfg.voteTimeoutMs }),
      cfg.voteTimeoutMs + 30_000,
    );
    const okVotes = sum(acks.map((a) => a.ok));
    const lastAck = maxOf(acks.filter((a) => a.lastAckAt > 0).map((a) => a.lastAckAt));
    const lat = ascending(acks.flatMap((a) => a.latencies));
    const fin = await ctx.pool.all(
      { op: 'vote.finish', n: okVotes, waitMs: cfg.tallyWaitMs },
      cfg.tallyWaitMs + 30_000,
    );
    const seen = fin.flatMap((f) => f.fullSeenAt);
    const never = seen.filter((s) => s === null).length;
    const stale = maxOf(seen.filter((s): s is number => s !== null)) - lastAck;
    const gap = maxOf(fin.map((f) => f.maxGapMs));
    const tallies = ascending(fin.flatMap((f) => f.tallies));
    const errors = mergeErrors(acks.map((a) => a.errors));
    rec('open → last vote ack', 'ms', lastAck - t0);
    rec('vote ack p50', 'ms', percentile(lat, 50));
    rec('vote ack p95', 'ms', percentile(lat, 95));
    rec('vote ack p99', 'ms', percentile(lat, 99));
    rec('votes acked ok', 'n', okVotes);
    rec('last ack → every tablet sees voted = N', 'ms', never > 0 ? NaN : stale);
    rec('tablets that never saw voted = N', 'n', never);
    rec('longest gap between tallies', 'ms', gap);
    rec('tallies per tablet (median)', 'n', percentile(tallies, 50));
    ctx.log(
      `    ${target.name}: ${okVotes} votes ok, open → last ack ${(lastAck - t0).toFixed(0)} ms, ack p50/p95/p99 ${percentile(lat, 50).toFixed(0)}/${percentile(lat, 95).toFixed(0)}/${percentile(lat, 99).toFixed(0)} ms, ` +
        `full tally seen ${never > 0 ? `never by ${never} tablets` : `${stale.toFixed(0)} ms after the last ack`}, longest tally gap ${gap.toFixed(0)} ms` +
        (Object.keys(errors).length > 0 ? `, errors ${JSON.stringify(errors)}` : ''),
    );
    await chair
      .timeout(30_000)
      .emitWithAck('poll.close', { pollId: openAck.data.pollId })
      .catch(() => undefined);
    return {
      okVotes,
      errors,
      openToLastAckMs: lastAck - t0,
      firstVoteSentAt: minOf(acks.map((a) => a.firstSentAt).filter((x) => x > 0)) - t0,
      staleMs: stale,
      never,
      maxGapMs: gap,
      talliesPerTablet: { min: tallies[0], median: percentile(tallies, 50), max: tallies.at(-1) },
    };
  } finally {
    chair.close();
  }
}
