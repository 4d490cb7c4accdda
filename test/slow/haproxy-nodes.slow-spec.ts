/* Two api processes (the built dist/) behind a real HAProxy, websocket transport, one PostgreSQL.
 * Both start at once on an empty database: migrations run once, daily jobs are scheduled once.
 * Tablets spread over both nodes see every event of their meeting; one node is killed (kill -9)
 * mid-session, its tablets reconnect through the balancer to the other and resume with afterSeq
 * gap-free; no acked input is lost. Figures are printed (for DEPLOYMENT.md), nothing is timed. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, loadConfig, TokenService } from '@liexi/platform';
import { Client } from 'pg';
import { io, type Socket } from 'socket.io-client';
import { seedPlenary } from '../../bench/seed-plenary';
import { waitFor } from '../support/app';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
const SECRET = randomBytes(24).toString('hex');
const TABLETS = 24;

interface Tablet {
  socket: Socket;
  lastSeq: number;
  seqs: number[];
  gaps: number;
  reconnects: number;
  joined: boolean;
}

function haproxyConfig(port: number, nodes: number[]): string {
  return `global
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
${nodes.map((p, i) => `  server node${i + 1} 127.0.0.1:${p} check inter 500 fall 2 rise 2`).join('\n')}
`;
}

describe('two api processes behind HAProxy', () => {
  const procs: ChildProcess[] = [];
  const logs: string[][] = [[], []];
  let haproxy: ChildProcess | undefined;
  let dir: string;
  let dbUrl: string;
  let dropDb: () => Promise<void>;
  let lb: string;
  const tablets: Tablet[] = [];

  beforeAll(async () => {
    if (!existsSync(MAIN)) execFileSync('node', [join(ROOT, 'scripts', 'build.cjs')], { stdio: 'inherit' });
    dir = mkdtempSync(join(tmpdir(), 'liexi-haproxy-'));
    // An empty database from template0: the two nodes race to migrate it.
    const adminUrl = process.env.LIEXI_TEST_ADMIN_URL ?? '';
    const name = `lb_${randomBytes(4).toString('hex')}`;
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE template0`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    dbUrl = url.toString();
    dropDb = async () => {
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    };
    const ports = [await freePort(), await freePort()];
    for (const [i, port] of ports.entries()) {
      const child = spawn('node', [MAIN], {
        cwd: dir,
        env: {
          ...process.env,
          NODE_ENV: 'production',
          DATABASE_URL: dbUrl,
          JWT_SECRET: SECRET,
          PORT: String(port),
          HOST: '127.0.0.1',
          LOG_FORMAT: 'json',
          LIVE_RATE_LIMIT: '10000',
          HOSTNAME: `node${i + 1}`,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      for (const s of [child.stdout, child.stderr]) s?.on('data', (d: Buffer) => logs[i]?.push(d.toString()));
      procs.push(child);
    }
    const lbPort = await freePort();
    writeFileSync(join(dir, 'haproxy.cfg'), haproxyConfig(lbPort, ports));
    haproxy = spawn('haproxy', ['-db', '-f', join(dir, 'haproxy.cfg')], { stdio: 'ignore' });
    lb = `http://127.0.0.1:${lbPort}`;
    const up = async (base: string): Promise<boolean> =>
      fetch(`${base}/api/health`).then(
        (r) => r.status === 200,
        () => false,
      );
    for (const port of ports) {
      const until = Date.now() + 90_000;
      while (!(await up(`http://127.0.0.1:${port}`))) {
        if (Date.now() > until) throw new Error(`node on ${port} did not start:\n${logs.flat().join('')}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    const until = Date.now() + 15_000;
    while (!(await up(lb))) {
      if (Date.now() > until) throw new Error('haproxy did not answer');
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 180_000);

  afterAll(async () => {
    for (const t of tablets) t.socket.close();
    for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
    haproxy?.kill('SIGKILL');
    await dropDb?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs migrations once and schedules each daily job once', async () => {
    const c = new Client({ connectionString: dbUrl });
    await c.connect();
    try {
      const applied = (await c.query('SELECT name FROM schema_migrations')).rows.map((r) => r.name as string);
      const files = readdirSync(join(ROOT, 'libs/platform/src/database/migrations')).filter((f) =>
        f.endsWith('.ts'),
      );
      expect(applied.length).toBe(files.length);
      expect(new Set(applied).size).toBe(applied.length);
      const twice = await c.query(
        `SELECT name, payload::text, count(*) FROM job WHERE status = 'pending' GROUP BY 1, 2 HAVING count(*) > 1`,
      );
      expect(twice.rows).toEqual([]);
    } finally {
      await c.end();
    }
  });

  it('keeps every tablet gap-free through a kill -9 of one node; no acked input is lost', async () => {
    const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET });
    const room = await seedPlenary(dbUrl, new TokenService(config), TABLETS);
    const meetingId = room.meetingId;

    const join = async (t: Tablet): Promise<void> => {
      const ack = await t.socket
        .timeout(10_000)
        .emitWithAck('meeting.join', t.joined ? { meetingId, afterSeq: t.lastSeq } : { meetingId });
      if (!ack.ok) throw new Error(JSON.stringify(ack.error));
      if (ack.data.events) for (const e of ack.data.events as { seq: number }[]) apply(t, e.seq);
      else t.lastSeq = Math.max(t.lastSeq, ack.data.seq as number);
      t.joined = true;
    };
    const apply = (t: Tablet, seq: number): void => {
      if (seq <= t.lastSeq) return;
      if (seq > t.lastSeq + 1) {
        t.gaps++;
        void join(t).catch(() => undefined);
        return;
      }
      t.lastSeq = seq;
      t.seqs.push(seq);
    };
    for (const a of room.attendees) {
      const socket = io(`${lb}/live`, {
        auth: { token: a.token },
        transports: ['websocket'],
        reconnectionDelay: 200,
        reconnectionDelayMax: 1000,
        forceNew: true,
      });
      const t: Tablet = { socket, lastSeq: 0, seqs: [], gaps: 0, reconnects: 0, joined: false };
      socket.on('meeting.events', (b: { events: { seq: number }[] }) => {
        for (const e of b.events) apply(t, e.seq);
      });
      socket.io.on('reconnect', () => {
        t.reconnects++;
      });
      socket.on('connect', () => void join(t).catch(() => undefined));
      tablets.push(t);
    }
    await waitFor(() => tablets.every((t) => t.joined), 30_000);
    const startSeq = Math.min(...tablets.map((t) => t.lastSeq));

    // Every tablet submits inputs, each retried with its clientKey until acked.
    const acked = new Set<string>();
    let stop = false;
    const submitter = async (t: Tablet, n: number): Promise<void> => {
      for (let i = 0; i < n && !stop; i++) {
        const clientKey = randomUUID();
        for (;;) {
          try {
            const ack = await t.socket
              .timeout(5000)
              .emitWithAck('input.submit', { meetingId, clientKey, kind: 'opinion', text: `意见 ${i}` });
            if (ack.ok) break;
          } catch {
            /* no ack (the node died): retry */
          }
          await new Promise((r) => setTimeout(r, 200));
        }
        acked.add(clientKey);
      }
    };
    const work = Promise.all(tablets.map((t) => submitter(t, 6)));
    await waitFor(() => acked.size >= TABLETS, 30_000);
    const before = acked.size;
    procs[0]?.kill('SIGKILL');
    const t0 = Date.now();
    await waitFor(() => tablets.some((t) => t.reconnects > 0), 30_000);
    await work;
    stop = true;
    const moved = tablets.filter((t) => t.reconnects > 0).length;
    // Everything reaches every tablet, gap-free.
    const c = new Client({ connectionString: dbUrl });
    await c.connect();
    try {
      const rows = (
        await c.query('SELECT client_key FROM input WHERE meeting_id = $1', [meetingId])
      ).rows.map((r) => r.client_key as string);
      for (const key of acked) expect(rows).toContain(key);
      const last = Number(
        (await c.query('SELECT max(seq) AS s FROM event_log WHERE stream = $1', [`meeting:${meetingId}`]))
          .rows[0].s,
      );
      await waitFor(() => tablets.every((t) => t.lastSeq === last), 30_000);
      const resumedMs = Date.now() - t0;
      for (const t of tablets) {
        const mine = t.seqs.filter((s) => s > startSeq);
        expect(mine).toEqual(Array.from({ length: last - startSeq }, (_, k) => startSeq + 1 + k));
      }
      expect(moved).toBeGreaterThan(0);
      expect(moved).toBeLessThan(TABLETS);
      process.stdout.write(
        `haproxy two-node test: ${TABLETS} tablets, ${acked.size} inputs acked (${before} before the kill), ` +
          `${moved} tablets moved to the surviving node, all tablets at seq ${last} ${resumedMs} ms after kill -9, ` +
          `gaps healed by afterSeq: ${tablets.reduce((n, t) => n + t.gaps, 0)}\n`,
      );
    } finally {
      await c.end();
    }
  }, 180_000);
});
