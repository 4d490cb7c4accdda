/* The bare server's SQL: the minimal semantics of the product's live path on plain `pg`.
 * Each stream row (`bare_stream`) is locked by the transaction that takes its next seq, so the
 * seqs of a meeting are gap-free and commit in order; pushes follow the commits. */
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';

export interface BareEvent {
  seq: number;
  type: string;
  at?: string;
  data: Record<string, unknown>;
}
export interface InputRequest {
  meetingId: string;
  clientKey: string;
  kind: string;
  text: string;
}
export interface InputCommitted {
  inputId: string;
  seq: number;
  /** The new event (null when the clientKey was seen before: a replay). */
  event: BareEvent | null;
}
export interface BarePoll {
  pollId: string;
  meetingId: string;
  question: string;
  choices: string[];
  open: boolean;
}
export interface Tally {
  pollId: string;
  counts: Record<string, number>;
  voted: number;
}

/** Runs `fn` in one transaction on a pooled connection. */
export async function inTx<T>(pool: Pool, fn: (c: PoolClient) => Promise<T>, isolation = ''): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query(`BEGIN${isolation ? ` ISOLATION LEVEL ${isolation}` : ''}`);
    const out = await fn(c);
    await c.query('COMMIT');
    return out;
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}

type Queryable = Pick<PoolClient, 'query'>;

/** Takes `count` seqs of a meeting (row-locked until commit); returns the last one. */
export async function takeSeqs(c: Queryable, meetingId: string, count = 1): Promise<number> {
  const r = await c.query<{ last_seq: string }>(
    `INSERT INTO bare_stream (meeting_id, last_seq) VALUES ($1, $2)
     ON CONFLICT (meeting_id) DO UPDATE SET last_seq = bare_stream.last_seq + $2 RETURNING last_seq`,
    [meetingId, count],
  );
  return Number(r.rows[0].last_seq);
}

export async function appendEvent(
  c: Queryable,
  meetingId: string,
  type: string,
  data: Record<string, unknown>,
): Promise<BareEvent> {
  const seq = await takeSeqs(c, meetingId);
  await c.query('INSERT INTO bare_event (meeting_id, seq, type, data) VALUES ($1, $2, $3, $4)', [
    meetingId,
    seq,
    type,
    JSON.stringify(data),
  ]);
  return { seq, type, at: new Date().toISOString(), data };
}

/** A clientKey seen before: its input and the seq of its event. */
export async function replayInput(
  c: Queryable,
  meetingId: string,
  clientKey: string,
): Promise<InputCommitted> {
  const r = await c.query<{ id: string; seq: string | null }>(
    `SELECT i.id, (SELECT e.seq FROM bare_event e WHERE e.meeting_id = i.meeting_id
                    AND e.type = 'input.submitted' AND e.data->>'inputId' = i.id::text) AS seq
     FROM bare_input i WHERE i.meeting_id = $1 AND i.client_key = $2`,
    [meetingId, clientKey],
  );
  return { inputId: r.rows[0].id, seq: Number(r.rows[0].seq ?? 0), event: null };
}

export const inputEventData = (inputId: string, req: InputRequest): Record<string, unknown> => ({
  inputId,
  meetingId: req.meetingId,
  kind: req.kind,
  text: req.text,
});

/** `input.submit`, one transaction (one commit) per input. */
export function submitInput(pool: Pool, req: InputRequest): Promise<InputCommitted> {
  return inTx(pool, async (c) => {
    const ins = await c.query<{ id: string }>(
      `INSERT INTO bare_input (meeting_id, client_key, text) VALUES ($1, $2, $3)
       ON CONFLICT (meeting_id, client_key) DO NOTHING RETURNING id`,
      [req.meetingId, req.clientKey, req.text],
    );
    const id = ins.rows[0]?.id;
    if (!id) return replayInput(c, req.meetingId, req.clientKey);
    const event = await appendEvent(c, req.meetingId, 'input.submitted', inputEventData(id, req));
    return { inputId: id, seq: event.seq, event };
  });
}

/** `poll.vote`, one commit per vote; the voter is the clientKey (one vote each). */
export async function castVote(pool: Pool, pollId: string, voter: string, choice: string): Promise<void> {
  await pool.query(
    'INSERT INTO bare_vote (poll_id, voter, choice) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    [pollId, voter, choice],
  );
}

export async function tally(c: Queryable, poll: BarePoll): Promise<Tally> {
  const r = await c.query<{ choice: string; n: string }>(
    'SELECT choice, count(*) AS n FROM bare_vote WHERE poll_id = $1 GROUP BY choice',
    [poll.pollId],
  );
  const counts: Record<string, number> = Object.fromEntries(poll.choices.map((x) => [x, 0]));
  let voted = 0;
  for (const row of r.rows) {
    counts[row.choice] = Number(row.n);
    voted += Number(row.n);
  }
  return { pollId: poll.pollId, counts, voted };
}

export async function openPoll(
  pool: Pool,
  meetingId: string,
  question: string,
  choices: string[],
): Promise<{ poll: BarePoll; event: BareEvent }> {
  const poll: BarePoll = { pollId: randomUUID(), meetingId, question, choices, open: true };
  const event = await inTx(pool, (c) =>
    appendEvent(c, meetingId, 'poll.opened', {
      pollId: poll.pollId,
      meetingId,
      kind: 'named',
      question,
      choices,
      counts: Object.fromEntries(choices.map((x) => [x, 0])),
      voted: 0,
      state: 'open',
    }),
  );
  return { poll, event };
}

/** `meeting.join`: the events after afterSeq when close behind, otherwise a snapshot. */
export async function join(
  pool: Pool,
  meetingId: string,
  afterSeq: number | undefined,
  openPolls: BarePoll[],
): Promise<{ seq: number; events?: BareEvent[]; snapshot?: Record<string, unknown> }> {
  if (afterSeq !== undefined) {
    const last = await pool.query<{ last_seq: string }>(
      'SELECT last_seq FROM bare_stream WHERE meeting_id = $1',
      [meetingId],
    );
    const seq = Number(last.rows[0]?.last_seq ?? 0);
    if (afterSeq <= seq && seq - afterSeq <= 1000) {
      const rows = await pool.query<{ seq: string; type: string; data: Record<string, unknown> }>(
        `SELECT seq, type, data FROM bare_event WHERE meeting_id = $1 AND seq > $2 AND seq <= $3
         ORDER BY seq LIMIT 1000`,
        [meetingId, afterSeq, seq],
      );
      return { seq, events: rows.rows.map((e) => ({ seq: Number(e.seq), type: e.type, data: e.data })) };
    }
  }
  return inTx(
    pool,
    async (c) => {
      const last = await c.query<{ last_seq: string }>(
        'SELECT last_seq FROM bare_stream WHERE meeting_id = $1',
        [meetingId],
      );
      const inputs = await c.query<{ id: string; text: string }>(
        'SELECT id, text FROM bare_input WHERE meeting_id = $1',
        [meetingId],
      );
      return {
        seq: Number(last.rows[0]?.last_seq ?? 0),
        snapshot: {
          meetingId,
          inputs: inputs.rows.map((r) => ({ inputId: r.id, text: r.text })),
          openPolls: openPolls.map((p) => ({ pollId: p.pollId, question: p.question, choices: p.choices })),
        },
      };
    },
    'REPEATABLE READ',
  );
}
