/* Scenario `resume`: `tries` tablets join and disconnect; the producers submit `events` inputs
 * (one event each; one in flight per producer); then each of those tablets, one at a time, reconnects and emits
 * meeting.join {afterSeq: its lastSeq}. Figures: the join ack latency (the catch-up of the
 * events), median and p95 over the tries, and reconnect + join. */
import type { TabletSpec } from '../load/protocol';
import { ascending, median, percentile } from '../lib/stats';
import { mergeErrors, openTablets, recorder, type Scenario, sum } from './common';

export const resumeScenario: Scenario = {
  names: ['resume'],
  targets: ['product', 'bare'],
  declare(ctx) {
    for (const [f, u] of [
      ['catch-up join ack (median)', 'ms'],
      ['catch-up join ack p95', 'ms'],
      ['reconnect + catch-up join (median)', 'ms'],
      ['events per catch-up (median)', 'n'],
      ['inputs acked ok (of the events)', 'n'],
    ])
      ctx.report.declare('resume', f, u);
  },
  async run(ctx, target) {
    const rec = recorder(ctx, 'resume', target);
    const { producers, events, tries } = ctx.cfg.resume;
    const meeting = await target.meeting(producers + tries);
    const specs: TabletSpec[] = meeting.tokens.map((token, i) => ({
      key: i < tries ? `r${i}` : `s${i}`,
      token,
      meetingId: meeting.meetingId,
      submitter: i >= tries,
    }));
    const opened = await openTablets(ctx, target, specs);
    const seqs: Record<string, number> = Object.assign(
      {},
      ...(await ctx.pool.all({ op: 'seqs' }, 30_000)),
    ) as Record<string, number>;
    const resumers = specs.filter((s) => s.key.startsWith('r'));
    await ctx.pool.all(
      (w) => ({ op: 'close', keys: opened.dealt[w].filter((s) => s.key.startsWith('r')).map((s) => s.key) }),
      30_000,
    );
    const burst = await ctx.pool.all(
      {
        op: 'burst',
        perTablet: Math.ceil(events / producers),
        timeoutMs: 120_000,
        sequential: true,
        hangMs: 10_000,
      },
      150_000,
    );
    const ok = sum(burst.map((b) => b.ok));
    rec('inputs acked ok (of the events)', 'n', ok);
    const joins: number[] = [];
    const totals: number[] = [];
    const counts: number[] = [];
    for (const r of resumers) {
      const w = opened.dealt.findIndex((d) => d.some((s) => s.key === r.key));
      const res = await ctx.pool.call(
        w,
        { op: 'rejoin', key: r.key, afterSeq: seqs[r.key] ?? 0, timeoutMs: 30_000 },
        60_000,
      );
      joins.push(res.joinMs);
      totals.push(res.connectMs + res.joinMs);
      counts.push(res.events);
    }
    const sorted = ascending(joins);
    rec('catch-up join ack (median)', 'ms', median(joins));
    rec('catch-up join ack p95', 'ms', percentile(sorted, 95));
    rec('reconnect + catch-up join (median)', 'ms', median(totals));
    rec('events per catch-up (median)', 'n', median(counts));
    ctx.log(
      `    ${target.name}: ${ok}/${events} inputs ok; catch-up of ${median(counts)} events: join ack median ${median(joins).toFixed(1)} ms (p95 ${percentile(sorted, 95).toFixed(1)}), reconnect + join ${median(totals).toFixed(1)} ms over ${joins.length} tries`,
    );
    ctx.report.addRaw({
      scenario: 'resume',
      round: ctx.round,
      target: target.name,
      data: { ok, errors: mergeErrors(burst.map((b) => b.errors)), joins, totals, counts },
    });
  },
};
