/*
 * `npm run demo`: the story from shared/DOMAIN.md, driven through the running system over real
 * HTTP and socket.io. A CPPCC member who chairs a pharmaceutical company sits in and says his new
 * medical-device project lacks collateral for a loan; the county head assigns it on the spot to
 * the county financial service centre (lead) with the rural commercial bank (cooperating); the
 * measure is an IP-pledge loan; the result: 16.5 M yuan approved plus 15 M yuan working capital.
 *
 * Uses the api on PORT (default 3000) when one answers; otherwise starts one itself on its own
 * embedded PostgreSQL under .data/demo (with the demo seed) and stops it at the end.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import {
  type Ack,
  type ClientToServerEvents,
  type InputSubmitResult,
  type InputSubmittedData,
  type JoinResult,
  LIVE_NAMESPACE,
  type LiveEvent,
  type ServerToClientEvents,
  type TaskState,
} from '../libs/contracts/src';
import { createLiexiClient, type LiexiClient, type Schema } from '../libs/client/src';

// ---------------------------------------------------------------------------------------------
// HTTP answers are typed by the client generated from the OpenAPI document (libs/client): no
// hand-written response shapes here.

type LoginResult = Schema<'LoginResultView'>;

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

// ---------------------------------------------------------------------------------------------
// Settings and the story's text.

const ROOT = join(__dirname, '..', '..'); // dist/scripts → repository root
const PORT = Number(process.env.PORT && process.env.PORT !== '' ? process.env.PORT : '3000');
const BASE = `http://localhost:${PORT}`;
const API = `${BASE}/api`;
const DEMO_DATA_DIR = '.data/demo';
const PASSWORD = 'demo';
const HEALTH_WAIT_MS = 90_000;
const ACK_TIMEOUT_MS = 5_000;
const PUSH_TIMEOUT_MS = 5_000;
/** The county's time zone (the api's APP_TIME_ZONE default). */
const TIME_ZONE =
  process.env.APP_TIME_ZONE && process.env.APP_TIME_ZONE !== '' ? process.env.APP_TIME_ZONE : 'Asia/Shanghai';

const AGENDA_TITLE = '医疗器械产业项目融资支持';
const MEMBER_NAME = '王建国';
const LEAD_UNIT = '县金融服务中心';
const COOPERATING_UNIT = '县农村商业银行';
const PROBLEM =
  '我是政协委员、医药公司董事长。公司新上的医疗器械项目已完成备案，但缺少土地厂房等抵押物，' +
  '银行贷款批不下来，项目建设资金缺口较大，恳请政府帮助协调解决融资难题。';
const MEASURE = '知识产权质押贷款';
const REPLY =
  '县金融服务中心牵头、县农村商业银行配合，以企业医疗器械相关专利开展知识产权质押融资：' +
  '1650万元知识产权质押贷款获批，另发放1500万元流动资金贷款，项目融资难题已解决。';

// ---------------------------------------------------------------------------------------------
// Output.

let stepNo = 0;
function step(zh: string, en: string): void {
  stepNo += 1;
  process.stdout.write(`\n[${stepNo}] ${zh} / ${en}\n`);
}
function info(line: string): void {
  process.stdout.write(`    ${line}\n`);
}

/** Terminal columns of a string: CJK and full-width characters take two. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    const wide =
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x20000 && c <= 0x3fffd);
    w += wide ? 2 : 1;
  }
  return w;
}
function padEnd(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}
/** Splits a value into lines of at most `width` columns. */
function wrap(s: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const ch of s) {
    if (displayWidth(line + ch) > width) {
      lines.push(line);
      line = '';
    }
    line += ch;
  }
  lines.push(line);
  return lines;
}
function printTable(rows: [string, string][], valueWidth = 64): void {
  const keyWidth = Math.max(...rows.map(([k]) => displayWidth(k)));
  const rule = `    ${'-'.repeat(keyWidth)}-+-${'-'.repeat(valueWidth)}`;
  process.stdout.write(`${rule}\n`);
  for (const [key, value] of rows) {
    wrap(value, valueWidth).forEach((part, i) => {
      process.stdout.write(`    ${padEnd(i === 0 ? key : '', keyWidth)} | ${part}\n`);
    });
  }
  process.stdout.write(`${rule}\n`);
}

// ---------------------------------------------------------------------------------------------
// Failure and clean-up.

class DemoFailure extends Error {}

let apiProcess: ChildProcess | null = null;
let apiLog: WriteStream | null = null;
const apiLogTail: string[] = [];
const sockets: LiveSocket[] = [];

function fail(message: string): never {
  throw new DemoFailure(message);
}

async function cleanUp(): Promise<void> {
  for (const s of sockets) s.close();
  const child = apiProcess;
  apiProcess = null;
  if (child && child.exitCode === null && child.signalCode === null) {
    info('stopping the api started by this demo …');
    const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
    child.kill('SIGTERM'); // the api stops its embedded PostgreSQL on SIGTERM
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
  await new Promise<void>((resolveEnd) => (apiLog ? apiLog.end(resolveEnd) : resolveEnd()));
}

// ---------------------------------------------------------------------------------------------
// HTTP.

/** A typed client of the api (libs/client), signed in with `token` when given; 15 s per request. */
function client(token?: string): LiexiClient {
  return createLiexiClient(BASE, {
    ...(token ? { token } : {}),
    fetch: (request) => fetch(request, { signal: AbortSignal.timeout(15_000) }),
  });
}

/** The data of an answer with the expected status; the demo fails with the error body otherwise. */
async function call<T>(
  what: string,
  answer: Promise<{ data?: T; error?: unknown; response: Response }>,
  expect = 200,
): Promise<NonNullable<T>> {
  let res: { data?: T; error?: unknown; response: Response };
  try {
    res = await answer;
  } catch (err) {
    fail(`${what} did not get an answer: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (res.response.status !== expect || res.data === undefined || res.data === null)
    fail(
      `${what} answered ${res.response.status} (expected ${expect}):\n${JSON.stringify(res.error ?? res.data)}`,
    );
  return res.data;
}

/** Every item of a paginated list (`{items, nextCursor}`), page by page. */
async function all<T>(
  page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const p = await page(cursor);
    items.push(...p.items);
    cursor = p.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

async function login(username: string): Promise<LoginResult> {
  const res = await call(
    `login ${username}`,
    client().POST('/api/auth/login', { body: { username, password: PASSWORD } }),
  );
  info(`${username} → role ${res.actor.role}, token ${res.accessToken.slice(0, 16)}…`);
  return res;
}

// ---------------------------------------------------------------------------------------------
// The api process.

/** 'up' when the health check passes, 'down' when nothing answers; fails on any other answer. */
async function health(): Promise<'up' | 'down'> {
  let res: Response;
  try {
    res = await fetch(`${API}/health`, { signal: AbortSignal.timeout(2_000) });
  } catch {
    return 'down';
  }
  const text = await res.text();
  if (res.status === 200) return 'up';
  return fail(`GET /api/health answered ${res.status}:\n${text}`);
}

async function ensureApi(): Promise<void> {
  if ((await health()) === 'up') {
    info(`using the api already running at ${BASE}`);
    return;
  }
  const logFile = join(ROOT, DEMO_DATA_DIR, 'api.log');
  mkdirSync(join(ROOT, DEMO_DATA_DIR), { recursive: true });
  apiLog = createWriteStream(logFile, { flags: 'a' });
  info(`nothing answers at ${BASE}; starting the api (DATA_DIR=${DEMO_DATA_DIR}, log: ${logFile})`);
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js')], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(PORT), DATA_DIR: DEMO_DATA_DIR },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  apiProcess = child;
  const keep = (chunk: Buffer): void => {
    apiLog?.write(chunk);
    apiLogTail.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter((l) => l.trim() !== ''),
    );
    apiLogTail.splice(0, Math.max(0, apiLogTail.length - 40));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const started = Date.now();
  while (Date.now() - started < HEALTH_WAIT_MS) {
    if (child.exitCode !== null || child.signalCode !== null) {
      fail(`the api exited (${child.exitCode ?? child.signalCode}) before it became healthy`);
    }
    if ((await health()) === 'up') {
      info(`api healthy after ${((Date.now() - started) / 1000).toFixed(1)} s (pid ${child.pid})`);
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  fail(`the api did not become healthy within ${HEALTH_WAIT_MS / 1000} s`);
}

// ---------------------------------------------------------------------------------------------
// The live protocol, as a tablet or console client follows it.

function connect(token: string, who: string): Promise<LiveSocket> {
  const socket: LiveSocket = io(`${BASE}${LIVE_NAMESPACE}`, {
    auth: { token },
    transports: ['websocket'],
    reconnection: true,
  });
  sockets.push(socket);
  return new Promise((resolveConnect, reject) => {
    const timer = setTimeout(() => reject(new DemoFailure(`${who}: socket did not connect`)), 10_000);
    socket.once('connect', () => {
      clearTimeout(timer);
      info(`${who}: socket ${socket.id ?? '?'} connected to ${LIVE_NAMESPACE}`);
      resolveConnect(socket);
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      reject(new DemoFailure(`${who}: socket refused: ${err.message}`));
    });
  });
}

function unwrap<T>(what: string, ack: Ack<T>): T {
  if (!ack.ok) fail(`${what} was refused: ${JSON.stringify(ack.error)}`);
  return ack.data;
}

/**
 * Follows one meeting: keeps lastSeq, buffers pushes until the join ack arrives, applies the ack
 * and then the buffered pushes newer than it, drops what it has seen, and re-joins with
 * `afterSeq` on a gap or after a reconnect.
 */
class MeetingFollower {
  lastSeq = 0;
  readonly events: LiveEvent[] = [];
  private joined = false;
  private buffer: LiveEvent[] = [];
  private waiters: { match: (e: LiveEvent) => boolean; done: (e: LiveEvent) => void }[] = [];

  constructor(
    private readonly socket: LiveSocket,
    private readonly meetingId: string,
    private readonly who: string,
  ) {
    socket.on('meeting.events', (batch) => {
      if (batch.meetingId !== this.meetingId) return;
      for (const e of batch.events) {
        if (!this.joined) this.buffer.push(e);
        else this.apply(e);
      }
    });
    socket.io.on('reconnect', () => {
      void this.join().catch((err: unknown) => info(`${this.who}: re-join failed: ${String(err)}`));
    });
  }

  async join(): Promise<JoinResult> {
    this.joined = false;
    const req =
      this.lastSeq > 0
        ? { meetingId: this.meetingId, afterSeq: this.lastSeq }
        : { meetingId: this.meetingId };
    const ack = await new Promise<Ack<JoinResult>>((resolveAck, reject) => {
      this.socket
        .timeout(ACK_TIMEOUT_MS)
        .emit('meeting.join', req, (err: Error | null, res: Ack<JoinResult>) =>
          err ? reject(err) : resolveAck(res),
        );
    });
    const result = unwrap(`${this.who}: meeting.join`, ack);
    if (result.events) {
      for (const e of result.events) this.apply(e);
    }
    this.lastSeq = Math.max(this.lastSeq, result.seq);
    this.joined = true;
    const buffered = this.buffer.filter((e) => e.seq > this.lastSeq);
    this.buffer = [];
    for (const e of buffered) this.apply(e);
    return result;
  }

  /** Resolves with the first event (already seen or still to come) that matches. */
  waitFor(match: (e: LiveEvent) => boolean, timeoutMs: number): Promise<LiveEvent> {
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolveEvent, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.done !== done);
        reject(new DemoFailure(`${this.who}: no matching meeting.events push within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (e: LiveEvent): void => {
        clearTimeout(timer);
        resolveEvent(e);
      };
      this.waiters.push({ match, done });
    });
  }

  private apply(e: LiveEvent): void {
    if (e.seq <= this.lastSeq) return; // seen already
    if (e.seq > this.lastSeq + 1) {
      info(`${this.who}: gap (have ${this.lastSeq}, got ${e.seq}); re-joining with afterSeq`);
      void this.join().catch((err: unknown) => info(`${this.who}: re-join failed: ${String(err)}`));
      return;
    }
    this.lastSeq = e.seq;
    this.events.push(e);
    info(`${this.who}: ← meeting.events seq ${e.seq} ${e.type}`);
    for (const w of this.waiters.filter((x) => x.match(e))) {
      this.waiters = this.waiters.filter((x) => x !== w);
      w.done(e);
    }
  }
}

/** input.submit, retried with the same clientKey until an ack arrives (the server stores it once). */
async function submitInput(
  socket: LiveSocket,
  req: Parameters<ClientToServerEvents['input.submit']>[0],
): Promise<InputSubmitResult> {
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    try {
      const ack = await new Promise<Ack<InputSubmitResult>>((resolveAck, reject) => {
        socket
          .timeout(ACK_TIMEOUT_MS)
          .emit('input.submit', req, (err: Error | null, res: Ack<InputSubmitResult>) =>
            err ? reject(err) : resolveAck(res),
          );
      });
      return unwrap('input.submit', ack);
    } catch (err) {
      if (err instanceof DemoFailure) throw err;
      info(`input.submit: no ack (attempt ${attempt}); retrying with the same clientKey`);
    }
  }
  return fail('input.submit: no ack after 3 attempts');
}

// ---------------------------------------------------------------------------------------------
// Helpers for the story.

function one<T>(what: string, items: T[], match: (x: T) => boolean): T {
  const found = items.filter(match);
  if (found.length === 0) fail(`${what} not found`);
  if (found.length > 1) info(`note: ${found.length} matches for ${what}; using the first`);
  return found[0];
}

function expectState(task: { id: string; state: TaskState }, state: TaskState): void {
  if (task.state !== state) fail(`task ${task.id} is ${task.state}, expected ${state}`);
  info(`task ${task.id} → ${task.state}`);
}

/** YYYY-MM-DD in the county's time zone, `days` from now. */
function dateInDays(days: number): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(Date.now() + days * 86_400_000));
}

/** YYYY-MM-DD HH:MM in the county's time zone. */
function localTime(at: Date): string {
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    new Intl.DateTimeFormat('en-GB', {
      timeZone: TIME_ZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

// ---------------------------------------------------------------------------------------------
// The story.

async function main(): Promise<void> {
  process.stdout.write('Liexi 列席 demo: 医疗器械项目缺抵押物 → 现场交办 → 知识产权质押贷款 → 销号\n');

  step('检查 API 服务', 'make sure the api is up');
  await ensureApi();

  step('秘书处登录', 'secretariat logs in');
  const secretary = await login('secretary');
  const sec = secretary.accessToken;
  const secApi = client(sec);

  step('秘书处创建常务会议（含议题）', 'secretariat creates an executive meeting with its agenda');
  const startsAt = new Date();
  const meeting = await call(
    'create the meeting',
    secApi.POST('/api/meetings', {
      body: {
        kind: 'executive',
        title: `县政府常务会议（演示 ${localTime(startsAt)}）`,
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 3 * 3600_000).toISOString(),
        place: '县政府第一会议室',
        chair: '县长',
        agenda: [{ title: AGENDA_TITLE, category: 'key_work' }],
      },
    }),
    201,
  );
  const agendaItem = one('agenda item', meeting.agenda, (a) => a.title === AGENDA_TITLE);
  info(`meeting ${meeting.id} "${meeting.title}" (${meeting.status})`);
  info(`agenda item ${agendaItem.id} "${agendaItem.title}" [${agendaItem.category}]`);

  step('安排会议', 'secretariat schedules the meeting');
  const scheduled = await call(
    'schedule the meeting',
    secApi.POST('/api/meetings/{id}/schedule', { params: { path: { id: meeting.id } } }),
  );
  info(`meeting → ${scheduled.status}`);

  step('邀请政协委员王建国列席', 'secretariat invites CPPCC member Wang Jianguo to sit in');
  const participants = await all((cursor) =>
    call('list participants', secApi.GET('/api/participants', { params: { query: { limit: 200, cursor } } })),
  );
  const member = one(
    `participant ${MEMBER_NAME}`,
    participants,
    (p) => p.name === MEMBER_NAME && p.constituency === 'cppcc_member',
  );
  info(`participant ${member.id} ${member.name} (${member.constituency}, ${member.sector ?? '-'})`);
  const invitation = await call(
    'invite',
    secApi.POST('/api/meetings/{id}/invitations', {
      params: { path: { id: meeting.id } },
      body: { participantId: member.id },
    }),
    201,
  );
  info(`invitation ${invitation.id} (${invitation.status})`);

  step('会议开始', 'secretariat opens the meeting');
  const opened = await call(
    'open the meeting',
    secApi.POST('/api/meetings/{id}/open', { params: { path: { id: meeting.id } } }),
  );
  info(`meeting → ${opened.status}`);

  step('列席代表登录并签到', 'attendee logs in and checks in');
  const member1 = await login('member1');
  const mem = member1.accessToken;
  const memApi = client(mem);
  if (member1.actor.participantId !== member.id) {
    fail(`member1 is participant ${member1.actor.participantId ?? 'none'}, not ${member.id}`);
  }
  const mine = await all((cursor) =>
    call(
      'my invitations',
      memApi.GET('/api/invitations/mine', { params: { query: { limit: 200, cursor } } }),
    ),
  );
  const myInvitation = one('the invitation to the new meeting', mine, (i) => i.meetingId === meeting.id);
  const checkedIn = await call(
    'check in',
    memApi.POST('/api/invitations/{id}/check-in', { params: { path: { id: myInvitation.id } } }),
  );
  info(`invitation ${checkedIn.id} → ${checkedIn.status}`);

  step('秘书处控制台接入现场', 'secretariat console joins the live session');
  const secSocket = await connect(sec, 'secretariat');
  const console_ = new MeetingFollower(secSocket, meeting.id, 'secretariat');
  const secJoin = await console_.join();
  info(
    `secretariat: join ack seq ${secJoin.seq}` +
      (secJoin.snapshot
        ? ` (snapshot: ${secJoin.snapshot.status}, present ${secJoin.snapshot.attendance.present}/${secJoin.snapshot.attendance.invited})`
        : ` (${secJoin.events.length} events)`),
  );

  step('列席代表平板接入现场', "attendee's tablet joins the live session");
  const memSocket = await connect(mem, 'member1');
  const tablet = new MeetingFollower(memSocket, meeting.id, 'member1');
  const memJoin = await tablet.join();
  info(
    `member1: join ack seq ${memJoin.seq}` +
      (memJoin.snapshot
        ? ` (snapshot: "${memJoin.snapshot.title}", ${memJoin.snapshot.agenda.length} agenda item(s))`
        : ` (${memJoin.events.length} events)`),
  );

  step('列席代表提交意见', 'attendee submits input');
  const clientKey = randomUUID();
  info(`clientKey ${clientKey}`);
  info(`text: ${PROBLEM}`);
  const submitted = await submitInput(memSocket, {
    meetingId: meeting.id,
    clientKey,
    kind: 'problem',
    text: PROBLEM,
    agendaItemId: agendaItem.id,
  });
  info(`ack: input ${submitted.inputId} at seq ${submitted.seq}`);

  step('秘书处收到实时推送', 'secretariat console receives the meeting.events push');
  const pushed = await console_.waitFor(
    (e) => e.type === 'input.submitted' && (e.data as InputSubmittedData).inputId === submitted.inputId,
    PUSH_TIMEOUT_MS,
  );
  const view = pushed.data as InputSubmittedData;
  info(
    `secretariat got input.submitted seq ${pushed.seq}: ${view.kind} by ${view.author?.name ?? '(anonymous)'}` +
      ` (${view.author?.constituency ?? '-'}) on agenda item ${view.agendaItemId ?? '-'}`,
  );
  if (pushed.seq !== submitted.seq) fail(`push seq ${pushed.seq} differs from ack seq ${submitted.seq}`);

  step('县长现场交办：形成任务清单', 'county head assigns it on the spot: task item created and assigned');
  const units = await all((cursor) =>
    call('list units', secApi.GET('/api/units', { params: { query: { limit: 200, cursor } } })),
  );
  const lead = one(`unit ${LEAD_UNIT}`, units, (u) => u.name === LEAD_UNIT);
  const bank = one(`unit ${COOPERATING_UNIT}`, units, (u) => u.name === COOPERATING_UNIT);
  info(`lead unit 牵头单位 ${lead.name} (${lead.id}); cooperating 配合单位 ${bank.name} (${bank.id})`);
  let task = await call(
    'create the task item',
    secApi.POST('/api/tasks', {
      body: {
        meetingId: meeting.id,
        inputIds: [submitted.inputId],
        problem: '医药企业新建医疗器械项目缺少抵押物，贷款难',
        leadUnitId: lead.id,
        cooperatingUnitIds: [bank.id],
        responsiblePerson: '县金融服务中心主任',
        measure: MEASURE,
        deadline: dateInDays(30),
        closeOutStandard: '贷款审批发放到位',
        taskClass: 'A',
        urgency: 'immediate',
        assign: true,
      },
    }),
    201,
  );
  expectState(task, 'assigned');
  await console_.waitFor((e) => e.type === 'task.created', PUSH_TIMEOUT_MS);

  step('承办单位接收任务', 'lead unit (handler) accepts the item');
  const handler = await login('handler');
  const hanApi = client(handler.accessToken);
  const onTask = { params: { path: { id: task.id } } };
  if (handler.actor.unitId !== lead.id) fail(`handler belongs to unit ${handler.actor.unitId ?? 'none'}`);
  task = await call('accept', hanApi.POST('/api/tasks/{id}/accept', onTask));
  expectState(task, 'accepted');

  step('承办单位起草答复', 'lead unit drafts the reply');
  info(`reply: ${REPLY}`);
  task = await call(
    'draft the reply',
    hanApi.POST('/api/tasks/{id}/reply', { ...onTask, body: { body: REPLY } }),
  );
  expectState(task, 'reply_drafted');

  step('配合单位提交会办意见', 'cooperating unit (the rural commercial bank) gives its opinion');
  const bankHandler = await login('bank');
  task = await call(
    'submit the opinion',
    client(bankHandler.accessToken).POST('/api/tasks/{id}/opinions', {
      ...onTask,
      body: { body: '同意以知识产权质押方式授信，并协调兴业银行办理流动资金贷款。' },
    }),
  );

  step('单位主要负责人签发', 'the head of the lead unit signs the reply');
  const head = await login('head');
  task = await call(
    'sign',
    client(head.accessToken).POST('/api/tasks/{id}/reply/sign', { ...onTask, body: {} }),
  );
  expectState(task, 'reply_signed');

  step('政府办审核', 'the government office reviews the reply');
  task = await call('review', secApi.POST('/api/tasks/{id}/reply/review', { ...onTask, body: {} }));
  expectState(task, 'reply_reviewed');

  step('领导审批答复', 'leader (county head) approves the reply');
  const leader = await login('leader');
  task = await call(
    'approve',
    client(leader.accessToken).POST('/api/tasks/{id}/reply/approve', { ...onTask, body: {} }),
  );
  expectState(task, 'reply_approved');

  step('秘书处发送答复', 'secretariat sends the reply to the proposer');
  task = await call('send the reply', secApi.POST('/api/tasks/{id}/reply/send', { ...onTask, body: {} }));
  expectState(task, 'replied');

  step('列席代表满意度评价', 'proposer rates the result');
  task = await call(
    'evaluate',
    memApi.POST('/api/tasks/{id}/evaluation', {
      ...onTask,
      body: { rating: 'satisfied', comment: '贷款已到位，项目顺利推进，非常满意。' },
    }),
  );
  expectState(task, 'evaluated');

  step('秘书处销号', 'secretariat closes the item out');
  task = await call('close', secApi.POST('/api/tasks/{id}/close', onTask));
  expectState(task, 'closed');

  step('台账', 'ledger row of this meeting');
  const ledger = await all((cursor) =>
    call(
      'the ledger',
      secApi.GET('/api/ledger', { params: { query: { meetingId: meeting.id, limit: 200, cursor } } }),
    ),
  );
  const row = one(`ledger row of task ${task.id}`, ledger, (r) => r.taskId === task.id);
  const list = (xs: string[]): string => (xs.length > 0 ? xs.join('、') : '-');
  printTable([
    ['任务 task', row.taskId],
    ['会议 meeting', row.meeting ?? '-'],
    ['议题 agenda item', row.agendaItem ?? '-'],
    ['问题 problem', row.problem],
    [
      '提出人 proposers',
      list(row.proposers) + (row.anonymousProposers > 0 ? ` (+${row.anonymousProposers} 匿名)` : ''),
    ],
    ['牵头单位 lead unit', row.leadUnit],
    ['配合单位 cooperating', list(row.cooperatingUnits)],
    ['责任人 responsible', row.responsiblePerson ?? '-'],
    ['措施 measure', row.measure],
    ['时限 deadline', row.deadline],
    ['销号标准 close-out std', row.closeOutStandard],
    ['分类 class / urgency', `${row.taskClass} / ${row.urgency}`],
    ['状态 state', row.state],
    ['重办次数 reopened', String(row.reopenCount)],
    ['答复 reply', row.reply ?? '-'],
    ['评价 ratings', list(row.ratings)],
    ['销号时间 closed at', row.closedAt ?? '-'],
  ]);

  process.stdout.write('\nDemo complete: the closed loop ran end to end. 闭环完成。\n');
}

main()
  .then(async () => {
    await cleanUp();
    process.exit(0);
  })
  .catch(async (err: unknown) => {
    process.stderr.write(
      `\nDEMO FAILED at step ${stepNo}: ${err instanceof DemoFailure ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    if (apiLogTail.length > 0) {
      process.stderr.write(`\nlast lines of the api log:\n${apiLogTail.join('\n')}\n`);
    }
    await cleanUp().catch(() => undefined);
    process.exit(1);
  });
