/* The bare reference server: plain socket.io + a pg.Pool, no Nest, no auth beyond reading a
 * meeting id — the minimal semantics of the product's live path, for side-by-side figures.
 *
 *   BARE_DATABASE_URL=postgres://… PORT=4000 node dist/bench/bare/server.js
 *   BARE_BATCH=1          inputs and votes within BARE_BATCH_WINDOW_MS (2) ms, up to
 *                         BARE_BATCH_MAX (200), share one transaction ("batched commits")
 *   BARE_POOL_SIZE=20     the pool (the product's default)
 *
 * Namespace /live: meeting.join, meeting.leave, input.submit, poll.open, poll.vote, poll.close;
 * acks {ok:true,data} | {ok:false,error:{code,message}}; pushes meeting.events {meetingId, events}.
 * HTTP: GET /health (SELECT 1 on the pool), GET /memory (process.memoryUsage()). */
import { createServer } from 'node:http';
import { Client, Pool } from 'pg';
import { Server, type Socket } from 'socket.io';
import { Batcher } from './batcher';
import {
  appendEvent,
  type BareEvent,
  type BarePoll,
  castVote,
  inTx,
  type InputCommitted,
  join,
  openPoll,
  submitInput,
  tally,
} from './store';

type AckFn = (res: unknown) => void;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CLIENT_KEY = /^[A-Za-z0-9_-]{8,100}$/;
const TALLY_INTERVAL_MS = 400;

class Refused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
const str = (v: unknown, field: string, re?: RegExp): string => {
  if (typeof v !== 'string' || v.length === 0 || v.length > 4000 || (re && !re.test(v)))
    throw new Refused('VALIDATION_FAILED', `${field} is invalid`);
  return v;
};
const body = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};

const env = process.env;
const databaseUrl = env.BARE_DATABASE_URL ?? '';
const port = Number(env.PORT ?? 0);
const batched = env.BARE_BATCH === '1' || env.BARE_BATCH === 'true';
const pool = new Pool({
  connectionString: databaseUrl,
  max: Number(env.BARE_POOL_SIZE ?? 20),
  application_name: 'bare',
});
pool.on('error', () => undefined);
/** Tallies are written on a connection of their own, as in the product. */
const tallyClient = new Client({ connectionString: databaseUrl, application_name: 'bare-tally' });
const polls = new Map<string, BarePoll>();
const room = (meetingId: string): string => `meeting:${meetingId}`;

const http = createServer((req, res) => {
  const reply = (status: number, payload: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(payload));
  };
  if (req.url === '/health')
    pool.query('SELECT 1').then(
      () => reply(200, { status: 'ok', database: 'ok' }),
      () => reply(503, { status: 'error' }),
    );
  else if (req.url === '/memory') reply(200, process.memoryUsage());
  else reply(404, { error: 'not found' });
});
const io = new Server(http, { maxHttpBufferSize: 64 * 1024, serveClient: false });
const live = io.of('/live');
const push = (meetingId: string, events: BareEvent[]): void => {
  if (events.length > 0) live.to(room(meetingId)).emit('meeting.events', { meetingId, events });
};

// ── tallies: at most one per poll per TALLY_INTERVAL_MS, as the product's coalescer ──
const lastFlush = new Map<string, number>();
const pending = new Set<string>();
const running = new Set<string>();
const dirty = new Set<string>();
let tallyChain: Promise<void> = Promise.resolve();
function touchTally(pollId: string): void {
  if (running.has(pollId)) return void dirty.add(pollId);
  if (pending.has(pollId)) return;
  const last = lastFlush.get(pollId);
  const delay = last === undefined ? TALLY_INTERVAL_MS : Math.max(0, last + TALLY_INTERVAL_MS - Date.now());
  pending.add(pollId);
  setTimeout(() => {
    pending.delete(pollId);
    running.add(pollId);
    tallyChain = tallyChain
      .then(() => writeTally(pollId))
      .catch(() => undefined)
      .finally(() => {
        running.delete(pollId);
        lastFlush.set(pollId, Date.now());
        if (dirty.delete(pollId)) touchTally(pollId);
      });
  }, delay);
}
async function writeTally(pollId: string): Promise<void> {
  const poll = polls.get(pollId);
  if (!poll?.open) return;
  await tallyClient.query('BEGIN');
  try {
    const t = await tally(tallyClient, poll);
    const event = await appendEvent(tallyClient, poll.meetingId, 'poll.tally', { ...t });
    await tallyClient.query('COMMIT');
    push(poll.meetingId, [event]);
  } catch (err) {
    await tallyClient.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

const batcher = batched
  ? new Batcher(pool, Number(env.BARE_BATCH_WINDOW_MS ?? 2), Number(env.BARE_BATCH_MAX ?? 200), (c) => {
      for (const [meetingId, events] of c.events) push(meetingId, events);
      for (const pollId of c.polls) touchTally(pollId);
    })
  : null;

/** Runs a handler and answers its ack: {ok:true,data} or {ok:false,error}. */
function handle(socket: Socket, event: string, fn: (req: Record<string, unknown>) => Promise<unknown>): void {
  socket.on(event, (req: unknown, ack?: AckFn) => {
    fn(body(req)).then(
      (data) => typeof ack === 'function' && ack({ ok: true, data }),
      (err: unknown) =>
        typeof ack === 'function' &&
        ack({
          ok: false,
          error:
            err instanceof Refused
              ? { code: err.code, message: err.message }
              : { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) },
        }),
    );
  });
}

live.on('connection', (socket) => {
  handle(socket, 'meeting.join', async (req) => {
    const meetingId = str(req.meetingId, 'meetingId', UUID);
    const afterSeq = typeof req.afterSeq === 'number' && req.afterSeq >= 0 ? req.afterSeq : undefined;
    await socket.join(room(meetingId));
    const open = [...polls.values()].filter((p) => p.open && p.meetingId === meetingId);
    return join(pool, meetingId, afterSeq, open);
  });
  handle(socket, 'meeting.leave', async (req) => {
    await socket.leave(room(str(req.meetingId, 'meetingId', UUID)));
    return { left: true };
  });
  handle(socket, 'input.submit', async (req) => {
    const input = {
      meetingId: str(req.meetingId, 'meetingId', UUID),
      clientKey: str(req.clientKey, 'clientKey', CLIENT_KEY),
      kind: str(req.kind, 'kind'),
      text: str(req.text, 'text'),
    };
    let done: InputCommitted;
    if (batcher) done = await batcher.submitInput(input);
    else {
      done = await submitInput(pool, input);
      if (done.event) push(input.meetingId, [done.event]);
    }
    return { inputId: done.inputId, seq: done.seq };
  });
  handle(socket, 'poll.open', async (req) => {
    const meetingId = str(req.meetingId, 'meetingId', UUID);
    const choices = Array.isArray(req.choices) ? req.choices.map((c) => str(c, 'choices')) : [];
    if (choices.length < 2) throw new Refused('VALIDATION_FAILED', 'a poll needs two choices or more');
    const { poll, event } = await openPoll(pool, meetingId, str(req.question, 'question'), choices);
    polls.set(poll.pollId, poll);
    push(meetingId, [event]);
    return { pollId: poll.pollId, seq: event.seq };
  });
  handle(socket, 'poll.vote', async (req) => {
    const poll = polls.get(str(req.pollId, 'pollId', UUID));
    if (!poll) throw new Refused('NOT_FOUND', 'no such poll');
    if (!poll.open) throw new Refused('SESSION_CLOSED', 'the poll is closed');
    const choice = str(req.choice, 'choice');
    if (!poll.choices.includes(choice)) throw new Refused('VALIDATION_FAILED', 'not a choice of this poll');
    const voter = str(req.clientKey, 'clientKey', CLIENT_KEY);
    if (batcher) await batcher.vote(poll.pollId, voter, choice);
    else {
      await castVote(pool, poll.pollId, voter, choice);
      touchTally(poll.pollId);
    }
    return { receipt: voter };
  });
  handle(socket, 'poll.close', async (req) => {
    const poll = polls.get(str(req.pollId, 'pollId', UUID));
    if (!poll?.open) throw new Refused('NOT_FOUND', 'no such open poll');
    poll.open = false;
    const closed = await inTx(pool, async (c) => {
      const t = await tally(c, poll);
      return { t, event: await appendEvent(c, poll.meetingId, 'poll.closed', { ...t }) };
    });
    push(poll.meetingId, [closed.event]);
    return { ...closed.t, seq: closed.event.seq };
  });
});

async function main(): Promise<void> {
  await tallyClient.connect();
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
  const addr = http.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  process.stdout.write(
    `bare listening on http://127.0.0.1:${actual} (${batched ? 'batched' : 'single'} commits)\n`,
  );
}

function stop(): void {
  void io.close();
  void Promise.allSettled([pool.end(), tallyClient.end()]).finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
main().catch((err: unknown) => {
  process.stderr.write(
    `bare failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
