/* Scenario `memory`: the server's resident memory (VmRSS from /proc/<pid>/status) before and
 * after `tablets` idle tablets connected and joined one meeting, per 1,000 tablets. The bare
 * server also reports its V8 heap (GET /memory); the product has no such endpoint. Run first in
 * each round, on a server that has done nothing but a small warm-up. */
import type { TabletSpec } from '../load/protocol';
import { rssMiB } from '../lib/procs';
import type { Target } from '../lib/targets';
import { openTablets, recorder, type Scenario, sleep } from './common';

async function heapMiB(target: Target): Promise<number> {
  if (target.isProduct) return NaN;
  try {
    const res = await fetch(`${target.url}/memory`, { signal: AbortSignal.timeout(5000) });
    const m = (await res.json()) as { heapUsed: number };
    return m.heapUsed / 1024 / 1024;
  } catch {
    return NaN;
  }
}

export const memoryScenario: Scenario = {
  names: ['memory'],
  targets: ['product', 'bare'],
  declare(ctx) {
    for (const [f, u] of [
      ['RSS per 1,000 joined tablets', 'MiB'],
      ['RSS before', 'MiB'],
      ['RSS after', 'MiB'],
      ['heap per 1,000 joined tablets (bare only)', 'MiB'],
      ['tablets joined', 'n'],
    ])
      ctx.report.declare('memory', f, u);
  },
  async run(ctx, target) {
    const rec = recorder(ctx, 'memory', target);
    const cfg = ctx.cfg.memory;
    const warm = await target.meeting(cfg.warmup);
    // Warm-up: the join path's code is loaded and its connections opened before "before".
    await openTablets(
      ctx,
      target,
      warm.tokens.map((token, i) => ({ key: `w${i}`, token, meetingId: warm.meetingId })),
    );
    await ctx.pool.closeAll();
    const meeting = await target.meeting(cfg.tablets);
    await sleep(cfg.settleMs);
    const before = rssMiB(target.pid);
    const heapBefore = await heapMiB(target);
    const specs: TabletSpec[] = meeting.tokens.map((token, i) => ({
      key: `i${i}`,
      token,
      meetingId: meeting.meetingId,
    }));
    const opened = await openTablets(ctx, target, specs);
    await sleep(cfg.settleMs);
    const after = rssMiB(target.pid);
    const heapAfter = await heapMiB(target);
    const per1000 = opened.opened > 0 ? ((after - before) * 1000) / opened.opened : NaN;
    const heapPer1000 = opened.opened > 0 ? ((heapAfter - heapBefore) * 1000) / opened.opened : NaN;
    rec('RSS per 1,000 joined tablets', 'MiB', per1000);
    rec('RSS before', 'MiB', before);
    rec('RSS after', 'MiB', after);
    rec('heap per 1,000 joined tablets (bare only)', 'MiB', heapPer1000);
    rec('tablets joined', 'n', opened.opened);
    ctx.log(
      `    ${target.name} (pid ${target.pid}): RSS ${before.toFixed(1)} → ${after.toFixed(1)} MiB with ${opened.opened} tablets = ${per1000.toFixed(1)} MiB per 1,000` +
        (Number.isFinite(heapPer1000) ? `; heap ${heapPer1000.toFixed(1)} MiB per 1,000` : ''),
    );
    ctx.report.addRaw({
      scenario: 'memory',
      round: ctx.round,
      target: target.name,
      data: { before, after, heapBefore, heapAfter, opened: opened.opened },
    });
  },
};
