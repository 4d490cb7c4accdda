/* Plenary benchmark: N tablets in one meeting vote on one poll. Prints figures; asserts nothing.
 *
 *   npm run bench:plenary-inprocess                 # N = 3000
 *   BENCH_N=500 npm run bench:plenary-inprocess     # or: node dist/bench/plenary.js 500
 *
 * The api runs in the main thread on a throw-away embedded PostgreSQL (or DATABASE_URL); the
 * N socket.io clients run in a worker thread, so client work does not sit on the server's event
 * loop. Raise the open-files limit for large N (ulimit -n 65536). */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { AddressInfo } from 'node:net';
import { loadConfig, runMigrations, startEmbeddedPostgres, TokenService } from '@liexi/platform';
import { io, type Socket } from 'socket.io-client';
import { createApp } from '../apps/api/src/bootstrap';
import { seedPlenary } from './seed-plenary';

interface WorkerInput {
  baseUrl: string;
  meetingId: string;
  tokens: string[];
}
type FromWorker =
  | { kind: 'ready'; connectMs: number; joinMs: number; failed: number }
  | { kind: 'acked'; lastAckAt: number; latencies: number[]; errors: Record<string, number> }
  | { kind: 'tallied'; fullTallyAt: number | null }
  | {
      kind: 'closed';
      tallyEvents: number[];
      closedSeen: number;
      finalCounts: Record<string, number> | null;
      /** When tablet 0 received each poll.tally, and the turnout it showed. */
      tallyTimeline: { at: number; voted: number }[];
      firstAckAt: number;
    };
type ToWorker = { kind: 'close-watch' };

interface LiveEventLite {
  seq: number;
  type: string;
  data: { pollId?: string; voted?: number; counts?: Record<string, number>; choices?: string[] };
}

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const ms = (n: number): string => `${n.toFixed(0)} ms`;

// ─────────────────────────────── worker: the tablets ───────────────────────────────
async function tablets(input: WorkerInput): Promise<void> {
  const port = parentPort!;
  const n = input.tokens.length;
  const sockets: Socket[] = [];
  const tallies = new Array<number>(n).fill(0);
  const closedSeen = new Array<boolean>(n).fill(false);
  const votedAt = new Array<number>(n).fill(0);
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  let acked = 0;
  let lastAckAt = 0;
  let firstAckAt = 0;
  const tallyTimeline: { at: number; voted: number }[] = [];
  let fullTallyAt: number | null = null;
  let finalCounts: Record<string, number> | null = null;
  let failed = 0;

  const connect = (token: string): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const s = io(`${input.baseUrl}/live`, {
        auth: { token },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        timeout: 60_000,
      });
      s.once('connect', () => resolve(s));
      s.once('connect_error', (err) => reject(err));
    });

  const t0 = Date.now();
  const batch = 250;
  for (let i = 0; i < n; i += batch) {
    const got = await Promise.allSettled(input.tokens.slice(i, i + batch).map(connect));
    for (const g of got) {
      if (g.status === 'fulfilled') sockets.push(g.value);
      else failed++;
    }
  }
  const connectMs = Date.now() - t0;

  sockets.forEach((s, i) => {
    s.on('meeting.events', (b: { events: LiveEventLite[] }) => {
      for (const e of b.events) {
        if (e.type === 'poll.opened' && votedAt[i] === 0) {
          const pollId = e.data.pollId!;
          const choices = e.data.choices!;
          votedAt[i] = Date.now();
          s.timeout(120_000).emit(
            'poll.vote',
            { pollId, choice: choices[i % choices.length], clientKey: `bench-${i}-${pollId}` },
            (err: Error | null, ack?: { ok: boolean; error?: { code: string } }) => {
              const now = Date.now();
              if (err || !ack?.ok) {
                const code = err ? 'TIMEOUT' : (ack?.error?.code ?? 'UNKNOWN');
                errors[code] = (errors[code] ?? 0) + 1;
              } else latencies.push(now - votedAt[i]);
              acked++;
              if (firstAckAt === 0) firstAckAt = now;
              lastAckAt = Math.max(lastAckAt, now);
              if (acked === sockets.length)
                port.postMessage({ kind: 'acked', lastAckAt, latencies, errors } satisfies FromWorker);
            },
          );
        }
        if (e.type === 'poll.tally') {
          tallies[i]++;
          if (i === 0) tallyTimeline.push({ at: Date.now(), voted: e.data.voted ?? 0 });
          if (i === 0 && e.data.voted === sockets.length && fullTallyAt === null) {
            fullTallyAt = Date.now();
            port.postMessage({ kind: 'tallied', fullTallyAt } satisfies FromWorker);
          }
        }
        if (e.type === 'poll.closed') {
          closedSeen[i] = true;
          if (i === 0) finalCounts = e.data.counts ?? null;
          if (closedSeen.every((c, j) => c || j >= sockets.length))
            port.postMessage({
              kind: 'closed',
              tallyEvents: tallies.slice(0, sockets.length),
              closedSeen: closedSeen.filter(Boolean).length,
              finalCounts,
              tallyTimeline,
              firstAckAt,
            } satisfies FromWorker);
        }
      }
    });
  });

  const t1 = Date.now();
  await Promise.all(
    sockets.map((s) => s.timeout(120_000).emitWithAck('meeting.join', { meetingId: input.meetingId })),
  );
  port.postMessage({ kind: 'ready', connectMs, joinMs: Date.now() - t1, failed } satisfies FromWorker);
  port.on('message', (m: ToWorker) => {
    if (m.kind === 'close-watch') {
      for (const s of sockets) s.close();
      port.close();
    }
  });
}

// ─────────────────────────────── main: the api and the chair ───────────────────────────────
async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? process.env.BENCH_N ?? 3000);
  const dataDir = mkdtempSync(join(tmpdir(), 'liexi-bench-'));
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'development',
    DATA_DIR: dataDir,
    JWT_SECRET: process.env.JWT_SECRET ?? randomBytes(32).toString('hex'),
    SEED_DEMO: 'true',
    PORT: '0',
  });
  // A durable cluster (fsync on), as in production; DATABASE_URL instead when given.
  const db = config.databaseUrl
    ? { url: config.databaseUrl, embedded: false, stop: () => Promise.resolve() }
    : {
        ...(await startEmbeddedPostgres({ dir: dataDir, database: 'liexi_bench', persistent: true })),
        embedded: true,
      };
  await runMigrations(db.url);
  const app = await createApp(config, db.url, { logger: false });
  await app.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${(app.getHttpServer() as { address(): AddressInfo }).address().port}`;
  log(
    `plenary bench: N = ${n}, api at ${baseUrl}, database ${db.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'}`,
  );

  try {
    let t = Date.now();
    const room = await seedPlenary(db.url, app.get(TokenService), n, { agendaItems: 1 });
    log(`  seeded ${n} attendees (bulk SQL) in ${ms(Date.now() - t)}`);

    const login = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'secretary', password: 'demo' }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const chair = io(`${baseUrl}/live`, {
      auth: { token: accessToken },
      transports: ['websocket'],
      forceNew: true,
    });
    await new Promise<void>((resolve) => chair.once('connect', () => resolve()));
    await chair.emitWithAck('meeting.join', { meetingId: room.meetingId });

    const worker = new Worker(__filename, {
      workerData: {
        baseUrl,
        meetingId: room.meetingId,
        tokens: room.attendees.map((a) => a.token),
      } satisfies WorkerInput,
    });
    const inbox: FromWorker[] = [];
    const waiters: (() => void)[] = [];
    worker.on('message', (m: FromWorker) => {
      inbox.push(m);
      for (const w of waiters.splice(0)) w();
    });
    worker.on('error', (err) => {
      process.stderr.write(`worker failed: ${err.stack ?? err.message}\n`);
      process.exit(1);
    });
    const next = async <K extends FromWorker['kind']>(
      kind: K,
      timeoutMs = 300_000,
    ): Promise<Extract<FromWorker, { kind: K }>> => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = inbox.find((m) => m.kind === kind);
        if (found) return found as Extract<FromWorker, { kind: K }>;
        if (Date.now() > until) throw new Error(`no "${kind}" from the tablets within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 1000);
        });
      }
    };

    const ready = await next('ready');
    log(
      `  connected ${n - ready.failed}/${n} sockets (websocket) in ${ms(ready.connectMs)}; all joined in ${ms(ready.joinMs)}`,
    );

    t = Date.now();
    const opened = (await chair.emitWithAck('poll.open', {
      meetingId: room.meetingId,
      kind: 'secret',
      question: '常委会专项工作评议：票决被评议单位',
      choices: ['agree', 'disagree', 'abstain'],
    })) as { ok: boolean; data: { pollId: string } };
    if (!opened.ok) throw new Error(`poll.open failed: ${JSON.stringify(opened)}`);
    const acked = await next('acked');
    const sorted = [...acked.latencies].sort((a, b) => a - b);
    log(`  poll.open → all ${n} vote acks: ${ms(acked.lastAckAt - t)}`);
    log(
      `  vote ack latency: p50 ${ms(percentile(sorted, 50))}, p95 ${ms(percentile(sorted, 95))}, p99 ${ms(percentile(sorted, 99))}, max ${ms(sorted.at(-1) ?? NaN)}`,
    );
    if (Object.keys(acked.errors).length > 0) log(`  vote errors: ${JSON.stringify(acked.errors)}`);

    const tallied = await next('tallied', 30_000).catch(() => null);
    if (tallied?.fullTallyAt)
      log(`  poll.open → a tablet sees the tally with all ${n} votes: ${ms(tallied.fullTallyAt - t)}`);
    const closed = (await chair.emitWithAck('poll.close', { pollId: opened.data.pollId })) as {
      ok: boolean;
      data: { counts: Record<string, number>; voted: number; entitled: number };
    };
    const seen = await next('closed', 60_000);
    const perClient = [...seen.tallyEvents].sort((a, b) => a - b);
    const total = Object.values(closed.data.counts).reduce((a, b) => a + b, 0);
    log(
      `  poll.tally events per tablet (coalesced): min ${perClient[0]}, median ${percentile(perClient, 50)}, max ${perClient.at(-1)} (for ${n} votes)`,
    );
    log(`  first vote ack after ${ms(seen.firstAckAt - t)}`);
    log(
      `  turnout shown by tablet 0's tallies (ms after poll.open: voted): ${seen.tallyTimeline.map((x) => `${x.at - t}: ${x.voted}`).join(', ')}`,
    );
    log(`  poll.closed seen by ${seen.closedSeen}/${n} tablets`);
    log(
      `  final tally: ${JSON.stringify(closed.data.counts)} = ${total} (voted ${closed.data.voted} / entitled ${closed.data.entitled})${total === n ? ' = N' : ` ≠ N (${n})`}`,
    );
    worker.postMessage({ kind: 'close-watch' } satisfies ToWorker);
    chair.close();
    await worker.terminate();
  } finally {
    await app.close();
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (isMainThread) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(
        `bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exit(1);
    },
  );
} else {
  tablets(workerData as WorkerInput).catch((err: unknown) => {
    throw err;
  });
}
