/* A load-generator process (child_process.fork of the compiled JS): holds a share of the
 * tablets and runs the orchestrator's commands (bench/load/protocol.ts) against one server.
 * Every wait is bounded by the command's own timeout; the process exits when its parent goes. */
import { now } from '../lib/stats';
import type {
  BurstCommand,
  BurstResult,
  Command,
  OpenCommand,
  OpenResult,
  RejoinCommand,
  RejoinResult,
  Reply,
  Request,
  Results,
  StepCommand,
  StepResult,
  VoteAcksCommand,
  VoteAcksResult,
  VoteFinishCommand,
  VoteFinishResult,
  WireAck,
} from './protocol';
import { codeOf, Tablet, type TabletHooks } from './tablet';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Bumped by `abort`: every wait that started before ends. */
let epoch = 0;

/** Polls `done` every `everyMs` until it holds, `deadline` (epoch ms) passes, or an abort. */
async function until(done: () => boolean, deadline: number, everyMs = 20): Promise<void> {
  const started = epoch;
  while (!done() && now() < deadline && epoch === started) await sleep(everyMs);
}

const bump = (errors: Record<string, number>, code: string): void => {
  errors[code] = (errors[code] ?? 0) + 1;
};

let url = '';
let tablets: Tablet[] = [];
let seen: [string, number][] = [];
let inputCounter = 0;
const workerTag = `w${process.pid.toString(36)}`;
const hooks: TabletHooks = {
  onInputPush: (inputId, at) => void seen.push([inputId, at]),
  onVoteAnswered: () => undefined,
  onTally: () => undefined,
};

async function open(cmd: OpenCommand): Promise<OpenResult> {
  url = cmd.url;
  const fresh = cmd.tablets.map((spec, i) => new Tablet(spec, tablets.length + i, hooks));
  tablets.push(...fresh);
  const res: OpenResult = {
    opened: 0,
    failed: 0,
    errors: {},
    firstConnectAt: 0,
    lastJoinAckAt: 0,
    joinMs: [],
    connectMs: [],
  };
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < fresh.length) {
      const t = fresh[next++];
      const t0 = now();
      if (res.firstConnectAt === 0) res.firstConnectAt = t0;
      try {
        await t.connect(cmd.url, cmd.timeoutMs);
        res.connectMs.push(now() - t0);
        if (cmd.join) {
          const j = await t.join(cmd.timeoutMs);
          res.joinMs.push(j.ms);
          res.lastJoinAckAt = Math.max(res.lastJoinAckAt, now());
        }
        res.opened++;
      } catch (err) {
        res.failed++;
        bump(res.errors, err instanceof Error ? err.message : 'ERROR');
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, cmd.concurrency) }, lane));
  return res;
}

function submit(
  t: Tablet,
  timeoutMs: number,
  answered: (sentAt: number, ack: WireAck<{ inputId: string }> | undefined, code: string | null) => void,
): void {
  const sentAt = now();
  if (!t.socket) return answered(sentAt, undefined, 'NOT_CONNECTED');
  const clientKey = `${workerTag}-${++inputCounter}-${Math.floor(sentAt).toString(36)}`;
  t.socket
    .timeout(timeoutMs)
    .emit(
      'input.submit',
      { meetingId: t.spec.meetingId, clientKey, kind: 'opinion', text: `bench input ${inputCounter}` },
      (err: Error | null, ack?: WireAck<{ inputId: string }>) =>
        answered(sentAt, ack, !err && ack?.ok ? null : codeOf(err, ack)),
    );
}

async function step(cmd: StepCommand): Promise<StepResult> {
  const subs = tablets.filter((t) => t.spec.submitter && t.connected);
  const start = now();
  const end = start + cmd.durationMs;
  const res: StepResult = {
    sent: 0,
    ok: 0,
    errors: {},
    unanswered: 0,
    latencies: [],
    acksInWindow: 0,
    startedAt: start,
    endedAt: end,
    lastAckAt: 0,
    hang: false,
    submitted: {},
  };
  if (subs.length === 0 || cmd.rate <= 0) return res;
  let outstanding = 0;
  let lastAnswerAt = start;
  let finished = false;
  let rr = 0;
  const timeoutMs = cmd.durationMs + cmd.drainCapMs + 1000;
  const sendOne = (): void => {
    const t = subs[rr++ % subs.length];
    res.sent++;
    outstanding++;
    submit(t, timeoutMs, (sentAt, ack, code) => {
      if (finished) return;
      const at = now();
      outstanding--;
      lastAnswerAt = at;
      if (code !== null) return bump(res.errors, code);
      res.ok++;
      res.latencies.push(at - sentAt);
      res.lastAckAt = at;
      if (at <= end) res.acksInWindow++;
      if (ack?.data?.inputId) res.submitted[ack.data.inputId] = sentAt;
    });
  };
  const started = epoch;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const t = now();
      const due = Math.floor(((Math.min(t, end) - start) * cmd.rate) / 1000);
      while (res.sent < due && epoch === started) sendOne();
      if (t >= end || epoch !== started) {
        clearInterval(timer);
        resolve();
      }
    }, 5);
  });
  await until(() => outstanding === 0 || now() - lastAnswerAt > cmd.hangMs, end + cmd.drainCapMs);
  res.hang = outstanding > 0 && now() - lastAnswerAt > cmd.hangMs;
  res.unanswered = outstanding;
  finished = true;
  return res;
}

async function burst(cmd: BurstCommand): Promise<BurstResult> {
  const subs = tablets.filter((t) => t.spec.submitter && t.connected);
  const res: BurstResult = {
    sent: 0,
    ok: 0,
    errors: {},
    startedAt: now(),
    lastAckAt: 0,
    unanswered: 0,
    hang: false,
  };
  const deadline = res.startedAt + cmd.timeoutMs;
  let outstanding = 0;
  let lastAnswerAt = res.startedAt;
  const hung = (): boolean =>
    cmd.hangMs !== undefined && outstanding > 0 && now() - lastAnswerAt > cmd.hangMs;
  const one = (t: Tablet, then?: () => void): void => {
    res.sent++;
    outstanding++;
    submit(t, Math.max(1, deadline - now()), (_sentAt, _ack, code) => {
      outstanding--;
      lastAnswerAt = now();
      if (code !== null) bump(res.errors, code);
      else {
        res.ok++;
        res.lastAckAt = Math.max(res.lastAckAt, now());
      }
      if (now() < deadline) then?.();
    });
  };
  if (cmd.sequential) {
    for (const t of subs) {
      let left = cmd.perTablet;
      const next = (): void => {
        if (left-- > 0) one(t, next);
      };
      next();
    }
  } else for (let k = 0; k < cmd.perTablet; k++) for (const t of subs) one(t);
  const expected = subs.length * cmd.perTablet;
  await until(() => (outstanding === 0 && res.sent >= expected) || hung(), deadline + 500, 10);
  res.hang = hung();
  res.unanswered = outstanding;
  return res;
}

async function voteAcks(cmd: VoteAcksCommand): Promise<VoteAcksResult> {
  const voters = tablets.filter((t) => t.spec.voter && t.socket !== null);
  const deadline = now() + cmd.timeoutMs;
  const answered = (): number => voters.filter((t) => t.vote && t.vote.answeredAt > 0).length;
  await until(() => answered() >= Math.min(cmd.expected, voters.length), deadline, 25);
  const res: VoteAcksResult = {
    voters: voters.length,
    sent: 0,
    ok: 0,
    errors: {},
    latencies: [],
    firstSentAt: 0,
    lastAckAt: 0,
  };
  for (const t of voters) {
    const v = t.vote;
    if (!v) continue;
    res.sent++;
    if (res.firstSentAt === 0 || v.sentAt < res.firstSentAt) res.firstSentAt = v.sentAt;
    if (v.answeredAt === 0) bump(res.errors, 'UNANSWERED');
    else if (!v.ok) bump(res.errors, v.code ?? 'UNKNOWN');
    else {
      res.ok++;
      res.latencies.push(v.answeredAt - v.sentAt);
      res.lastAckAt = Math.max(res.lastAckAt, v.answeredAt);
    }
  }
  return res;
}

async function voteFinish(cmd: VoteFinishCommand): Promise<VoteFinishResult> {
  const voters = tablets.filter((t) => t.spec.voter && t.socket !== null);
  const full = (t: Tablet): boolean => (t.vote?.tallyVoted ?? []).some((v) => v >= cmd.n);
  await until(() => voters.every(full), now() + cmd.waitMs, 25);
  const res: VoteFinishResult = { fullSeenAt: [], maxGapMs: 0, tallies: [] };
  for (const t of voters) {
    const at = t.vote?.tallyAt ?? [];
    const voted = t.vote?.tallyVoted ?? [];
    const k = voted.findIndex((v) => v >= cmd.n);
    res.fullSeenAt.push(k < 0 ? null : at[k]);
    res.tallies.push(at.length);
    const upto = k < 0 ? at.length - 1 : k;
    for (let i = 1; i <= upto; i++) res.maxGapMs = Math.max(res.maxGapMs, at[i] - at[i - 1]);
  }
  return res;
}

async function rejoin(cmd: RejoinCommand): Promise<RejoinResult> {
  const t = tablets.find((x) => x.spec.key === cmd.key);
  if (!t) throw new Error(`unknown tablet ${cmd.key}`);
  t.close();
  const t0 = now();
  await t.connect(url, cmd.timeoutMs);
  const connectMs = now() - t0;
  try {
    const j = await t.join(cmd.timeoutMs, cmd.afterSeq);
    return { connectMs, joinMs: j.ms, events: j.events, seq: j.seq };
  } finally {
    t.close();
  }
}

async function run(cmd: Command): Promise<Results[Command['op']]> {
  switch (cmd.op) {
    case 'open':
      return open(cmd);
    case 'step':
      return step(cmd);
    case 'burst':
      return burst(cmd);
    case 'vote.acks':
      return voteAcks(cmd);
    case 'vote.finish':
      return voteFinish(cmd);
    case 'rejoin':
      return rejoin(cmd);
    case 'pushes': {
      const out = seen;
      seen = [];
      return { seen: out };
    }
    case 'abort':
      epoch++;
      return { aborted: true };
    case 'seqs':
      return Object.fromEntries(tablets.map((t) => [t.spec.key, t.lastSeq]));
    case 'close': {
      const keys = cmd.keys ? new Set(cmd.keys) : null;
      const chosen = keys ? tablets.filter((t) => keys.has(t.spec.key)) : tablets;
      for (const t of chosen) t.close();
      if (!keys) tablets = [];
      return { closed: chosen.length };
    }
  }
}

process.on('message', (req: Request) => {
  run(req.cmd).then(
    (result) => process.send?.({ id: req.id, ok: true, result } satisfies Reply),
    (err: unknown) =>
      process.send?.({
        id: req.id,
        ok: false,
        error: err instanceof Error ? err.message : String(err),
      } satisfies Reply),
  );
});
// The orchestrator is gone (or closed the channel): nothing left to do.
process.on('disconnect', () => process.exit(0));
