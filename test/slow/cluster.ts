/* Support for the slow tests: api processes from the built dist/, HAProxy in front, tablets that
 * follow the README's client algorithm (rejoin with afterSeq after any reconnect or gap). */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '@liexi/platform';
import { buildIfStale } from '../support/build';
import { Client } from 'pg';
import { io, type Socket } from 'socket.io-client';

export const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');

/** The built api: `npm test`'s pretest builds it; rebuilt here when missing or stale (one worker at a time). */
export function ensureBuilt(): void {
  buildIfStale();
}

/** An empty database created from template0 on the test cluster (no migrations). */
export async function emptyDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = process.env.LIEXI_TEST_ADMIN_URL ?? '';
  const name = `slow_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE template0`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface Node {
  port: number;
  proc: ChildProcess;
  log: string[];
  exited: Promise<number | null>;
}

export async function startNode(cwd: string, env: Record<string, string>): Promise<Node> {
  const port = await freePort();
  const proc = spawn('node', [MAIN], {
    cwd,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_FORMAT: 'json',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  for (const s of [proc.stdout, proc.stderr]) s?.on('data', (d: Buffer) => log.push(d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return { port, proc, log, exited };
}

export const healthy = (base: string): Promise<boolean> =>
  fetch(`${base}/api/health`).then(
    (r) => r.status === 200,
    () => false,
  );

export async function until(
  check: () => Promise<boolean> | boolean,
  ms: number,
  what: string,
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** HAProxy in front of `ports`, round robin, readiness checks every 500 ms; websockets tunnelled. */
export async function startHaproxy(
  dir: string,
  ports: number[],
): Promise<{ base: string; proc: ChildProcess }> {
  const port = await freePort();
  const cfg = join(dir, `haproxy-${port}.cfg`);
  writeFileSync(
    cfg,
    `global
  maxconn 4096
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  timeout tunnel 1h
  option redispatch
  retries 3
frontend liexi
  bind 127.0.0.1:${port}
  default_backend api
backend api
  balance roundrobin
  option httpchk GET /api/health
  http-check expect status 200
${ports.map((p, i) => `  server node${i + 1} 127.0.0.1:${p} check inter 500 fall 2 rise 2`).join('\n')}
`,
  );
  const proc = spawn('haproxy', ['-db', '-f', cfg], { stdio: 'ignore' });
  return { base: `http://127.0.0.1:${port}`, proc };
}

export interface Tablet {
  socket: Socket;
  lastSeq: number;
  seqs: number[];
  gaps: number;
  reconnects: number;
  disconnects: string[];
  joined: boolean;
}

/** A tablet through the balancer: joins on every connect (afterSeq once joined), heals gaps. */
export function tablet(base: string, token: string, meetingId: string): Tablet {
  const socket = io(`${base}/live`, {
    auth: { token },
    transports: ['websocket'],
    reconnectionDelay: 200,
    reconnectionDelayMax: 1000,
    forceNew: true,
  });
  const t: Tablet = { socket, lastSeq: 0, seqs: [], gaps: 0, reconnects: 0, disconnects: [], joined: false };
  const join = async (): Promise<void> => {
    const ack = await socket
      .timeout(10_000)
      .emitWithAck('meeting.join', t.joined ? { meetingId, afterSeq: t.lastSeq } : { meetingId });
    if (!ack.ok) throw new Error(JSON.stringify(ack.error));
    if (ack.data.events) for (const e of ack.data.events as { seq: number }[]) apply(e.seq);
    else t.lastSeq = Math.max(t.lastSeq, ack.data.seq as number);
    t.joined = true;
  };
  const apply = (seq: number): void => {
    if (seq <= t.lastSeq) return;
    if (seq > t.lastSeq + 1) {
      t.gaps++;
      void join().catch(() => undefined);
      return;
    }
    t.lastSeq = seq;
    t.seqs.push(seq);
  };
  socket.on('meeting.events', (b: { events: { seq: number }[] }) => {
    for (const e of b.events) apply(e.seq);
  });
  socket.on('disconnect', (reason) => t.disconnects.push(reason));
  socket.io.on('reconnect', () => {
    t.reconnects++;
  });
  socket.on('connect', () => void join().catch(() => undefined));
  return t;
}

/** Submits `n` inputs, each retried with its clientKey until acked; calls `acked` for each. */
export async function submitAll(
  t: Tablet,
  meetingId: string,
  n: number,
  acked: (clientKey: string) => void,
): Promise<void> {
  for (let i = 0; i < n; i++) {
    const clientKey = `k-${randomBytes(8).toString('hex')}`;
    for (;;) {
      try {
        const ack = await t.socket
          .timeout(5000)
          .emitWithAck('input.submit', { meetingId, clientKey, kind: 'opinion', text: `意见 ${i}` });
        if (ack.ok) break;
      } catch {
        /* no ack (the node went away): retry with the same clientKey */
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    acked(clientKey);
  }
}
