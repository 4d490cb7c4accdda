/* "Bare with batched commits": inputs and votes that arrive within `windowMs` of each other (up
 * to `maxBatch`) are written in ONE transaction with multi-row statements, and each is acked
 * only after that commit. One batch is in flight at a time; what arrives meanwhile forms the next
 * (group commit). */
import type { Pool, PoolClient } from 'pg';
import {
  type BareEvent,
  inTx,
  type InputCommitted,
  inputEventData,
  type InputRequest,
  replayInput,
} from './store';

interface InputOp {
  kind: 'input';
  req: InputRequest;
  resolve(r: InputCommitted): void;
  reject(e: unknown): void;
}
interface VoteOp {
  kind: 'vote';
  pollId: string;
  voter: string;
  choice: string;
  resolve(): void;
  reject(e: unknown): void;
}
type Op = InputOp | VoteOp;

export interface BatchCommitted {
  /** New events per meeting, in seq order. */
  events: Map<string, BareEvent[]>;
  /** Polls that got votes. */
  polls: Set<string>;
}

export class Batcher {
  private queue: Op[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing = false;
  batches = 0;

  constructor(
    private readonly pool: Pool,
    private readonly windowMs: number,
    private readonly maxBatch: number,
    private readonly committed: (c: BatchCommitted) => void,
  ) {}

  submitInput(req: InputRequest): Promise<InputCommitted> {
    return new Promise((resolve, reject) => this.add({ kind: 'input', req, resolve, reject }));
  }

  vote(pollId: string, voter: string, choice: string): Promise<void> {
    return new Promise((resolve, reject) =>
      this.add({ kind: 'vote', pollId, voter, choice, resolve, reject }),
    );
  }

  private add(op: Op): void {
    this.queue.push(op);
    if (this.flushing) return;
    if (this.queue.length >= this.maxBatch) this.flushSoon(0);
    else this.flushSoon(this.windowMs);
  }

  private flushSoon(ms: number): void {
    if (this.timer && ms > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, ms);
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.queue.length === 0) return;
    this.flushing = true;
    const batch = this.queue.splice(0, this.maxBatch);
    this.batches++;
    try {
      const out = await inTx(this.pool, (c) => this.write(c, batch));
      this.committed(out.committed);
      for (const [op, r] of out.results) {
        if (op.kind === 'input') op.resolve(r!);
        else op.resolve();
      }
    } catch (err) {
      for (const op of batch) op.reject(err);
    } finally {
      this.flushing = false;
      if (this.queue.length > 0) this.flushSoon(this.queue.length >= this.maxBatch ? 0 : this.windowMs);
    }
  }

  private async write(
    c: PoolClient,
    batch: Op[],
  ): Promise<{ committed: BatchCommitted; results: [Op, InputCommitted | null][] }> {
    const inputs = batch.filter((o): o is InputOp => o.kind === 'input');
    const votes = batch.filter((o): o is VoteOp => o.kind === 'vote');
    const committed: BatchCommitted = { events: new Map(), polls: new Set() };
    const byOp = new Map<Op, InputCommitted | null>();
    if (inputs.length > 0) {
      const ins = await c.query<{ id: string; meeting_id: string; client_key: string }>(
        `INSERT INTO bare_input (meeting_id, client_key, text)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[])
         ON CONFLICT (meeting_id, client_key) DO NOTHING RETURNING id, meeting_id, client_key`,
        [
          inputs.map((o) => o.req.meetingId),
          inputs.map((o) => o.req.clientKey),
          inputs.map((o) => o.req.text),
        ],
      );
      const newId = new Map(ins.rows.map((r) => [`${r.meeting_id}|${r.client_key}`, r.id]));
      // The first op of each new (meeting, clientKey) gets the new input; repeats are replays.
      const fresh: InputOp[] = [];
      const taken = new Set<string>();
      for (const op of inputs) {
        const k = `${op.req.meetingId}|${op.req.clientKey}`;
        if (newId.has(k) && !taken.has(k)) {
          taken.add(k);
          fresh.push(op);
        }
      }
      const perMeeting = new Map<string, InputOp[]>();
      for (const op of fresh)
        perMeeting.set(op.req.meetingId, [...(perMeeting.get(op.req.meetingId) ?? []), op]);
      const meetings = [...perMeeting.keys()].sort();
      const seqRows = await c.query<{ meeting_id: string; last_seq: string }>(
        `INSERT INTO bare_stream (meeting_id, last_seq)
         SELECT * FROM unnest($1::uuid[], $2::bigint[])
         ON CONFLICT (meeting_id) DO UPDATE SET last_seq = bare_stream.last_seq + excluded.last_seq
         RETURNING meeting_id, last_seq`,
        [meetings, meetings.map((m) => perMeeting.get(m)!.length)],
      );
      const at = new Date().toISOString();
      const rows: { m: string; seq: number; data: Record<string, unknown> }[] = [];
      for (const r of seqRows.rows) {
        const ops = perMeeting.get(r.meeting_id)!;
        const first = Number(r.last_seq) - ops.length + 1;
        const events: BareEvent[] = ops.map((op, i) => {
          const inputId = newId.get(`${op.req.meetingId}|${op.req.clientKey}`)!;
          const e: BareEvent = {
            seq: first + i,
            type: 'input.submitted',
            at,
            data: inputEventData(inputId, op.req),
          };
          byOp.set(op, { inputId, seq: e.seq, event: e });
          rows.push({ m: r.meeting_id, seq: e.seq, data: e.data });
          return e;
        });
        committed.events.set(r.meeting_id, events);
      }
      await c.query(
        `INSERT INTO bare_event (meeting_id, seq, type, data)
         SELECT m, s, 'input.submitted', d FROM unnest($1::uuid[], $2::bigint[], $3::jsonb[]) AS t(m, s, d)`,
        [rows.map((r) => r.m), rows.map((r) => r.seq), rows.map((r) => JSON.stringify(r.data))],
      );
      for (const op of inputs)
        if (!byOp.has(op)) byOp.set(op, await replayInput(c, op.req.meetingId, op.req.clientKey));
    }
    if (votes.length > 0) {
      await c.query(
        `INSERT INTO bare_vote (poll_id, voter, choice)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
        [votes.map((v) => v.pollId), votes.map((v) => v.voter), votes.map((v) => v.choice)],
      );
      for (const v of votes) committed.polls.add(v.pollId);
    }
    return { committed, results: batch.map((op) => [op, byOp.get(op) ?? null]) };
  }
}
