/* Scenario `in-flight`: 600 input.submit emitted at once (60 tablets over 6 meetings, 10 each).
 * Figures: acked ok within the deadline (60 s; the wait ends early when no ack came for hangMs =
 * 10 s while some were outstanding: a hang, recorded with when the acks stopped), time to the
 * last ack, and the health endpoint's
 * latency sampled every 100 ms during the burst (product GET /api/health, bare GET /health — both
 * a SELECT 1 on the server's pool): p95 and max (a sample unanswered at the end counts with its
 * age). Also run against the product with DB_POOL_SIZE=5 in its environment; the most
 * connections its database saw during the burst (pg_stat_activity) shows the pool it really used,
 * and how many of them sat idle in a transaction (waiting on the server, not on PostgreSQL). */
import { Client } from 'pg';
import type { TabletSpec } from '../load/protocol';
import { ascending, maxOf, minOf, now, percentile } from '../lib/stats';
import { mergeErrors, ms, openTablets, recorder, type Scenario, sum } from './common';

const FIGURES: [string, string][] = [
  ['acked ok within deadline', 'n'],
  ['time to last ack', 'ms'],
  ['health p95 during burst', 'ms'],
  ['health max during burst', 'ms'],
  ['health samples unanswered', 'n'],
  ['max DB connections seen', 'n'],
  ['max of them idle in transaction', 'n'],
  ['hang: acks stopped after', 'ms'],
];
const POOL5 = ' [DB_POOL_SIZE=5]';

export const inflightScenario: Scenario = {
  names: ['in-flight'],
  targets: ['product', 'product-pool5', 'bare', 'bare-batched'],
  declare(ctx) {
    for (const suffix of ['', POOL5])
      for (const [f, u] of FIGURES) ctx.report.declare('in-flight', f + suffix, u);
  },
  async run(ctx, target) {
    const cfg = ctx.cfg.inflight;
    const specs: TabletSpec[] = [];
    for (let m = 0; m < cfg.meetings; m++) {
      const meeting = await target.meeting(cfg.tabletsPerMeeting);
      meeting.tokens.forEach((token, i) =>
        specs.push({ key: `m${m}t${i}`, token, meetingId: meeting.meetingId, submitter: true }),
      );
    }
    await openTablets(ctx, target, specs);

    const admin = new Client({ connectionString: ctx.cluster.adminUrl });
    await admin.connect();
    let maxConnections = 0;
    let maxIdleInTx = 0;
    let sampling = true;
    const connSampler = (async () => {
      while (sampling) {
        const r = await admin
          .query<{ n: string; idle_tx: string }>(
            `SELECT count(*) AS n, count(*) FILTER (WHERE state = 'idle in transaction') AS idle_tx
             FROM pg_stat_activity WHERE datname = $1`,
            [target.dbName],
          )
          .catch(() => null);
        if (r) maxConnections = Math.max(maxConnections, Number(r.rows[0].n));
        if (r) maxIdleInTx = Math.max(maxIdleInTx, Number(r.rows[0].idle_tx));
        await new Promise((res) => setTimeout(res, 250));
      }
    })();
    const health: { at: number; ms: number | null }[] = [];
    const inFlight: Promise<void>[] = [];
    const probe = (): void => {
      const sample: { at: number; ms: number | null } = { at: now(), ms: null };
      health.push(sample);
      inFlight.push(
        fetch(target.healthUrl, { signal: AbortSignal.timeout(cfg.deadlineMs + 5000) }).then(
          async (res) => {
            await res.arrayBuffer();
            if (res.ok) sample.ms = now() - sample.at;
          },
          () => undefined,
        ),
      );
    };
    probe();
    const timer = setInterval(probe, cfg.healthEveryMs);
    let burst;
    try {
      burst = await ctx.pool.all(
        { op: 'burst', perTablet: cfg.perTablet, timeoutMs: cfg.deadlineMs, hangMs: cfg.hangMs },
        cfg.deadlineMs + 30_000,
      );
    } finally {
      clearInterval(timer);
    }
    const end = now();
    // The samples still open: give them a moment, then count them with their age.
    await Promise.race([Promise.all(inFlight), new Promise((r) => setTimeout(r, 2000))]);
    sampling = false;
    await connSampler;
    await admin.end();
    const unanswered = health.filter((h) => h.ms === null).length;
    const lat = ascending(health.map((h) => h.ms ?? end - h.at));
    const ok = sum(burst.map((b) => b.ok));
    const sent = sum(burst.map((b) => b.sent));
    const start = minOf(burst.map((b) => b.startedAt));
    const lastAck = maxOf(burst.map((b) => b.lastAckAt).filter((x) => x > 0));
    const toLast = lastAck - start;
    const stuck = burst.filter((b) => b.unanswered > 0);
    const hang = stuck.length > 0 && stuck.every((b) => b.hang);
    const values: Record<string, number> = {
      'acked ok within deadline': ok,
      'time to last ack': toLast,
      'health p95 during burst': percentile(lat, 95),
      'health max during burst': maxOf(lat),
      'health samples unanswered': unanswered,
      'max DB connections seen': maxConnections,
      'max of them idle in transaction': maxIdleInTx,
      'hang: acks stopped after': hang ? (Number.isFinite(lastAck) ? toLast : 0) : NaN,
    };
    const suffixes =
      target.name === 'product' ? [''] : target.name === 'product-pool5' ? [POOL5] : ['', POOL5];
    for (const suffix of suffixes) {
      const rec = recorder(ctx, 'in-flight', target, suffix);
      for (const [f, u] of FIGURES) rec(f, u, values[f]);
    }
    const errors = mergeErrors(burst.map((b) => b.errors));
    ctx.log(
      `    ${target.name}: ${ok}/${sent} acked ok${hang ? ` — HANG (no ack for ${cfg.hangMs} ms)` : ''}, last ack after ${ms(toLast)}; health p95/max ${values['health p95 during burst'].toFixed(0)}/${values['health max during burst'].toFixed(0)} ms over ${health.length} samples (${unanswered} unanswered); max ${maxConnections} DB connections (${maxIdleInTx} idle in transaction)` +
        (Object.keys(errors).length > 0 ? `; errors ${JSON.stringify(errors)}` : ''),
    );
    ctx.report.addRaw({
      scenario: 'in-flight',
      round: ctx.round,
      target: target.name,
      data: { sent, errors, ...values, healthSamples: health.length },
    });
  },
};
