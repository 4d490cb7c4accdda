/* The authorization matrix, discovered from the running app: every HTTP operation and every
 * socket event must have a policy here (a handler this table does not name, or one that declares
 * no roles, fails), its declared roles must be the reviewed ones, and each is tried as every role
 * and without a token; then every operation scoped to a meeting, a task or an invitation is
 * tried by the scoped roles on foreign ones (→ 4xx, nothing changed), every live event on a
 * meeting the sender is not part of, and every supervision channel of another unit. */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Socket } from 'socket.io-client';
import { ROLES, type Role } from '@liexi/contracts';
import { Api, connectNamespace, emitAck, startTestApp, type TestApp } from '../support/app';
import { demoMeetingId } from '../support/demo-meeting';
import { discoverHttpRoutes, discoverSocketEvents } from './support/discover';

/** Role letters: S secretariat, L leader, V supervisor (督查), H unit handler, A attendee; * public. */
const LETTERS: Record<string, Role> = {
  S: 'secretariat',
  L: 'leader',
  V: 'supervisor',
  H: 'unit_handler',
  A: 'attendee',
};

/** The reviewed policy of every HTTP operation. A new handler fails the test until it is named here. */
const HTTP_POLICY: Record<string, string> = {
  'DELETE /api/calendar/:day': 'S',
  'DELETE /api/meetings/:id/agenda/:itemId': 'S',
  'DELETE /api/meetings/:id/agenda/:itemId/attachments/:attachmentId': 'S',
  'GET /api/agenda-taxonomy': 'S L V H A',
  'GET /api/appraisal-results': 'S L V',
  'GET /api/appraisal-results/:id': 'S L V',
  'GET /api/appraisal-rule': 'S L V',
  'GET /api/auth/me': 'S L V H A',
  'GET /api/calendar': 'S L V H',
  'GET /api/docs/asyncapi': '*',
  'GET /api/exports/ledger.xlsx': 'S L V',
  'GET /api/exports/meetings/:meetingId/list.pdf': 'S L V',
  'GET /api/exports/report.pdf': 'S L V',
  'GET /api/figures': 'S L V',
  'GET /api/figures/:code/items': 'S L V',
  'GET /api/figures/attendance': 'S L V',
  'GET /api/health': '*',
  'GET /api/health/live': '*',
  'GET /api/invitation-policies': 'S',
  'GET /api/invitation-policies/:id': 'S',
  'GET /api/invitations/:id/calendar.ics': 'S A',
  'GET /api/invitations/mine': 'A',
  'GET /api/ledger': 'S L V',
  'GET /api/meeting-lists': 'S L V',
  'GET /api/meetings': 'S L V H A',
  'GET /api/meetings/:id': 'S L V H A',
  'GET /api/meetings/:id/inputs': 'S L V H A',
  'GET /api/meetings/:id/invitations': 'S L V A',
  'GET /api/meetings/:id/presence': 'S L V',
  'GET /api/meetings/:meetingId/task-list': 'S L V',
  'GET /api/notifications': 'S L V H A',
  'GET /api/participants': 'S L V',
  'GET /api/participants/:id': 'S L V',
  'GET /api/public/items': '*',
  'GET /api/public/items/:id': '*',
  'GET /api/public/tasks': '*',
  'GET /api/rankings': 'S L V',
  'GET /api/rankings/late-units': 'S L V',
  'GET /api/supervision/dashboard': 'S L V',
  'GET /api/tasks': 'S L V H A',
  'GET /api/tasks/:id': 'S L V H A',
  'GET /api/tasks/:id/contacts': 'S L V H A',
  'GET /api/tasks/:id/history': 'S L V H A',
  'GET /api/units': 'S L V H',
  'GET /api/units/:id': 'S L V H',
  'GET /api/units/:id/handlers': 'S L V',
  'PATCH /api/invitation-policies/:id': 'S',
  'PATCH /api/meetings/:id': 'S',
  'PATCH /api/meetings/:id/agenda/:itemId': 'S',
  'PATCH /api/participants/:id': 'S',
  'PATCH /api/units/:id': 'S',
  'POST /api/accounts': 'S',
  'POST /api/accounts/:id/deactivate': 'S',
  'POST /api/agenda-taxonomy': 'S',
  'POST /api/auth/login': '*',
  'POST /api/auth/logout': 'S L V H A',
  'POST /api/calendar': 'S',
  'POST /api/check-in': '*',
  'POST /api/inputs/:inputId/answer': 'S',
  'POST /api/inputs/:inputId/decline': 'S',
  'POST /api/invitation-policies': 'S',
  'POST /api/invitations/:id/absent': 'S',
  'POST /api/invitations/:id/accept': 'A',
  'POST /api/invitations/:id/attended': 'S',
  'POST /api/invitations/:id/check-in': 'S A',
  'POST /api/invitations/:id/check-in-code': 'S',
  'POST /api/invitations/:id/decline': 'A',
  'POST /api/invitations/:id/withdraw': 'S',
  'POST /api/meetings': 'S',
  'POST /api/meetings/:id/adjourn': 'S',
  'POST /api/meetings/:id/agenda': 'S',
  'POST /api/meetings/:id/agenda/:itemId/attachments': 'S',
  'POST /api/meetings/:id/agenda/reorder': 'S',
  'POST /api/meetings/:id/attendance/finalize': 'S',
  'POST /api/meetings/:id/cancel': 'S',
  'POST /api/meetings/:id/close': 'S',
  'POST /api/meetings/:id/invitations': 'S',
  'POST /api/meetings/:id/invitations/generate': 'S',
  'POST /api/meetings/:id/open': 'S',
  'POST /api/meetings/:id/schedule': 'S',
  'POST /api/notifications/:id/read': 'S L V H A',
  'POST /api/notifications/read-all': 'S L V H A',
  'POST /api/participants': 'S',
  'POST /api/participants/:id/deactivate': 'S',
  'POST /api/participants/import': 'S',
  'POST /api/participants/import/upload': 'S',
  'POST /api/tasks': 'S',
  'POST /api/tasks/:id/accept': 'H',
  'POST /api/tasks/:id/assign': 'S',
  'POST /api/tasks/:id/close': 'S',
  'POST /api/tasks/:id/contacts': 'S H',
  'POST /api/tasks/:id/deadline': 'S',
  'POST /api/tasks/:id/evaluation': 'A',
  'POST /api/tasks/:id/extensions': 'H',
  'POST /api/tasks/:id/extensions/:changeId/decision': 'S',
  'POST /api/tasks/:id/inputs': 'S',
  'POST /api/tasks/:id/opinions': 'H',
  'POST /api/tasks/:id/opinions/:unitId/waive': 'S',
  'POST /api/tasks/:id/progress': 'H',
  'POST /api/tasks/:id/publication': 'S',
  'POST /api/tasks/:id/reinspection': 'S V',
  'POST /api/tasks/:id/reopen': 'S V',
  'POST /api/tasks/:id/reply': 'H',
  'POST /api/tasks/:id/reply/approve': 'L',
  'POST /api/tasks/:id/reply/review': 'S',
  'POST /api/tasks/:id/reply/send': 'S',
  'POST /api/tasks/:id/reply/send-back': 'S L H',
  'POST /api/tasks/:id/reply/sign': 'H',
  'POST /api/tasks/:id/return': 'H',
  'POST /api/tasks/:id/start': 'H',
  'POST /api/units': 'S',
  'POST /api/units/:id/handlers': 'S',
  'POST /api/units/:id/head': 'S',
  'POST /api/units/import': 'S',
  'POST /api/units/import/upload': 'S',
  'PUT /api/appraisal-rule': 'S',
};

/** The reviewed roles of every socket event. */
const SOCKET_POLICY: Record<string, string> = {
  '/live agenda.advance': 'S L',
  '/live input.cosign': 'A',
  '/live input.moderate': 'S L',
  '/live input.submit': 'A',
  '/live meeting.adjourn': 'S L',
  '/live meeting.join': 'S L V H A',
  '/live meeting.leave': 'S L V H A',
  '/live meeting.open': 'S L',
  '/live poll.close': 'S L',
  '/live poll.open': 'S L',
  '/live poll.vote': 'A',
  '/live speaker.next': 'S L',
  '/live speaker.request': 'A',
  '/live speaker.withdraw': 'A',
  '/supervision channel.join': 'S L V H',
  '/supervision channel.leave': 'S L V H',
};

const roles = (letters: string): Role[] =>
  letters === '*'
    ? []
    : letters.split(' ').map((l) => {
        const role = LETTERS[l];
        if (!role) throw new Error(`unknown role letter ${l}`);
        return role;
      });
const sorted = (list: readonly string[]): string[] => [...list].sort();
const LOGIN: Record<Role, string> = {
  secretariat: 'secretary',
  leader: 'leader',
  supervisor: 'supervisor',
  unit_handler: 'handler',
  attendee: 'member1',
};
const PLACEHOLDER: Record<string, string> = { day: '2099-01-01' };
const fill = (path: string, values: Record<string, string> = {}): string =>
  path.replace(/:(\w+)/g, (_m, name: string) => values[name] ?? PLACEHOLDER[name] ?? randomUUID());
const roleRefusal = (role: Role): string => `role ${role} may not do this`;

describe('authorization matrix (discovered from the app)', () => {
  let t: TestApp;
  let db: Client;
  const as = {} as Record<Role, Api>;

  beforeAll(async () => {
    t = await startTestApp({ LIVE_RATE_LIMIT: '100000' });
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    for (const role of ROLES) as[role] = await Api.login(t.baseUrl, LOGIN[role]);
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  it('every HTTP operation has a reviewed policy, and declares exactly it', () => {
    const found = discoverHttpRoutes(t.app);
    expect(found.length).toBeGreaterThanOrEqual(90);
    const declared = Object.fromEntries(
      found.map((r) => [r.key, r.policy === 'public' ? '*' : r.policy === null ? '<no policy>' : r.policy]),
    );
    const reviewed = Object.fromEntries(
      Object.entries(HTTP_POLICY).map(([key, letters]) => [key, letters === '*' ? '*' : roles(letters)]),
    );
    const norm = (m: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(m).map(([k, v]) => [k, Array.isArray(v) ? sorted(v as string[]) : v]),
      );
    expect(norm(declared)).toEqual(norm(reviewed));
  });

  it('every socket event has a reviewed policy (a gateway without a route table fails)', () => {
    const found = discoverSocketEvents(t.app);
    expect(found.length).toBeGreaterThanOrEqual(16);
    expect(Object.fromEntries(found.map((e) => [e.key, sorted(e.roles)]))).toEqual(
      Object.fromEntries(Object.entries(SOCKET_POLICY).map(([k, v]) => [k, sorted(roles(v))])),
    );
  });

  it('HTTP: without a token 401, a role not named 403, a named role passes the role check; never 5xx', async () => {
    const outcomes: string[] = [];
    for (const route of discoverHttpRoutes(t.app)) {
      const path = fill(route.path);
      const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : {};
      const anon = await new Api(t.baseUrl).request<{ code?: string }>(route.method, path, body);
      if (route.policy === 'public') {
        if (anon.status === 401 || anon.status === 403 || anon.status >= 500)
          outcomes.push(`${route.key} anonymous → ${anon.status}`);
        continue;
      }
      if (anon.status !== 401) outcomes.push(`${route.key} anonymous → ${anon.status}`);
      const allowed = route.policy ?? [];
      for (const role of ROLES) {
        // Signing out ends the token: that one is tried with a token of its own.
        const api =
          route.key === 'POST /api/auth/logout' ? await Api.login(t.baseUrl, LOGIN[role]) : as[role];
        const res = await api.request<{ code?: string; detail?: string }>(route.method, path, body);
        const refusedByRole = res.status === 403 && res.body?.detail === roleRefusal(role);
        if (allowed.includes(role)) {
          if (res.status === 401 || refusedByRole || res.status >= 500)
            outcomes.push(`${route.key} as ${role} → ${res.status} ${JSON.stringify(res.body)}`);
        } else if (!refusedByRole)
          outcomes.push(`${route.key} as ${role} → ${res.status} (not refused by role)`);
      }
    }
    expect(outcomes).toEqual([]);
  });

  it('sockets: no token, no connection; a role not named FORBIDDEN; a named role passes the role check', async () => {
    for (const ns of ['/live', '/supervision'])
      await expect(connectNamespace(t.baseUrl, ns, undefined)).rejects.toThrow();
    const events = discoverSocketEvents(t.app);
    const outcomes: string[] = [];
    for (const role of ROLES) {
      const sockets = new Map<string, Socket>();
      try {
        for (const ns of ['/live', '/supervision'])
          sockets.set(ns, await connectNamespace(t.baseUrl, ns, as[role].token));
        for (const e of events) {
          const ack = await emitAck(sockets.get(e.namespace) as Socket, e.event, {});
          const refusedByRole =
            !ack.ok && ack.error.code === 'FORBIDDEN' && ack.error.detail === roleRefusal(role);
          if (e.roles.includes(role) ? refusedByRole : !refusedByRole)
            outcomes.push(`${e.key} as ${role} → ${JSON.stringify(ack)}`);
        }
      } finally {
        for (const s of sockets.values()) s.close();
      }
    }
    expect(outcomes).toEqual([]);
  });

  describe('foreign meetings, tasks, invitations and units', () => {
    let home: string; // the demo meeting: member1 is invited, the leader chairs it
    let foreign: string; // another meeting in session: citizen1 invited, no chair, no items
    let foreignInvitation: string;
    let foreignInput: string;
    let foreignPoll: string;
    let foreignTask: string; // lead unit 县农村商业银行 (not the handler's), no proposer
    let ownTask: string; // lead unit 县金融服务中心 (the handler's)
    let units: Record<string, string>;
    let citizen: Api;
    const sockets: Socket[] = [];
    const live = async (api: Api, ns = '/live'): Promise<Socket> => {
      const s = await connectNamespace(t.baseUrl, ns, api.token);
      sockets.push(s);
      return s;
    };
    /** What a forbidden attempt must leave untouched. */
    const state = async (): Promise<string> =>
      (
        await db.query(`SELECT
          (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM task_item t) AS tasks,
          (SELECT md5(coalesce(string_agg(i::text, '|' ORDER BY i.id), '')) FROM invitation i) AS invitations,
          (SELECT md5(coalesce(string_agg(m::text, '|' ORDER BY m.id), '')) FROM meeting m) AS meetings,
          (SELECT count(*) FROM input) AS inputs`)
      ).rows
        .map((r) => JSON.stringify(r))
        .join();

    beforeAll(async () => {
      const sec = as.secretariat;
      home = await demoMeetingId(sec);
      const list = await sec.all<{ id: string; name: string }>('/api/units');
      units = Object.fromEntries(list.map((u) => [u.name, u.id]));
      const start = new Date(Date.now() + 3_600_000);
      const m = await sec.ok<{ id: string }>(
        sec.post('/api/meetings', {
          kind: 'executive',
          title: '他人的会议',
          startsAt: start.toISOString(),
          endsAt: new Date(start.getTime() + 3_600_000).toISOString(),
        }),
        201,
      );
      foreign = m.id;
      const people = await sec.all<{ id: string; name: string }>('/api/participants');
      const zhang = people.find((p) => p.name === '张秀兰');
      const inv = await sec.ok<{ id: string }>(
        sec.post(`/api/meetings/${foreign}/invitations`, { participantId: zhang?.id }),
        201,
      );
      foreignInvitation = inv.id;
      expect((await sec.post(`/api/meetings/${foreign}/schedule`)).status).toBeLessThan(300);
      await sec.ok(sec.post(`/api/invitations/${foreignInvitation}/check-in`));
      const chair = await live(sec);
      expect(await emitAck(chair, 'meeting.open', { meetingId: foreign })).toMatchObject({ ok: true });
      citizen = await Api.login(t.baseUrl, 'citizen1');
      const input = await emitAck<{ inputId: string }>(await live(citizen), 'input.submit', {
        meetingId: foreign,
        clientKey: randomUUID(),
        kind: 'problem',
        text: '别的会议里的问题',
      });
      if (!input.ok) throw new Error(JSON.stringify(input));
      foreignInput = input.data.inputId;
      const poll = await emitAck<{ pollId: string }>(chair, 'poll.open', {
        meetingId: foreign,
        kind: 'named',
        question: '别的会议的表决',
        choices: ['yes', 'no'],
      });
      if (!poll.ok) throw new Error(JSON.stringify(poll));
      foreignPoll = poll.data.pollId;
      const task = (leadUnitId: string | undefined) =>
        sec.ok<{ id: string }>(
          sec.post('/api/tasks', {
            problem: '问题',
            leadUnitId,
            measure: '措施',
            deadline: '2099-12-31',
            closeOutStandard: '标准',
            taskClass: 'A',
          }),
          201,
        );
      foreignTask = (await task(units['县农村商业银行'])).id;
      ownTask = (await task(units['县金融服务中心'])).id;
    });
    afterAll(() => {
      for (const s of sockets) s.close();
    });

    it('the controls: each scoped role reaches its own meeting, task and invitation', async () => {
      expect((await as.attendee.get(`/api/meetings/${home}`)).status).toBe(200);
      expect((await as.unit_handler.get(`/api/tasks/${ownTask}`)).status).toBe(200);
      const ics = await fetch(`${t.baseUrl}/api/invitations/${foreignInvitation}/calendar.ics`, {
        headers: { authorization: `Bearer ${citizen.token}` },
      });
      expect([ics.status, (await ics.text()).startsWith('BEGIN:VCALENDAR')]).toEqual([200, true]);
      expect((await as.secretariat.get(`/api/meetings/${foreign}`)).status).toBe(200);
      // The leader chairs the demo meeting: steering it passes the chair check.
      const chair = await live(as.leader);
      const steer = await emitAck(chair, 'poll.open', {
        meetingId: home,
        kind: 'named',
        question: '主持人的表决',
        choices: ['yes', 'no'],
      });
      expect(steer).toMatchObject({ ok: true });
    });

    it('HTTP: every meeting-, task- and invitation-scoped operation on a foreign one is 4xx for the scoped roles, nothing changed', async () => {
      const before = await state();
      const scoped = (path: string): Record<string, string> | null => {
        if (/^\/api\/meetings\/:(id|meetingId)/.test(path)) return { id: foreign, meetingId: foreign };
        if (path.startsWith('/api/tasks/:id')) return { id: foreignTask };
        if (path.startsWith('/api/invitations/:id')) return { id: foreignInvitation };
        return null;
      };
      const tried: string[] = [];
      const leaks: string[] = [];
      for (const route of discoverHttpRoutes(t.app)) {
        const values = scoped(route.path);
        if (!values || route.policy === 'public' || route.policy === null) continue;
        for (const role of route.policy.filter((r) => r === 'attendee' || r === 'unit_handler')) {
          const path = fill(route.path, values);
          const hasBody = route.method !== 'GET' && route.method !== 'DELETE';
          const res = await as[role].request(route.method, path, hasBody ? {} : undefined);
          tried.push(`${route.key} as ${role}`);
          // Without a body to validate, the refusal itself must be the answer.
          const expected = hasBody ? [400, 403, 404] : [403, 404];
          if (!expected.includes(res.status)) leaks.push(`${route.key} as ${role} → ${res.status}`);
        }
      }
      expect(leaks).toEqual([]);
      expect(tried.length).toBeGreaterThanOrEqual(20);
      expect(await state()).toBe(before);
    });

    it('HTTP: the scoped task steps with valid bodies on another unit’s task are refused', async () => {
      const before = await state();
      const h = as.unit_handler;
      const attempts = [
        h.post(`/api/tasks/${foreignTask}/accept`, {}),
        h.post(`/api/tasks/${foreignTask}/return`, { reason: '不是我们的' }),
        h.post(`/api/tasks/${foreignTask}/progress`, { note: '进展' }),
        h.post(`/api/tasks/${foreignTask}/extensions`, { deadline: '2100-01-31', reason: '延期' }),
        as.attendee.post(`/api/tasks/${foreignTask}/evaluation`, { satisfied: true }),
        as.attendee.post(`/api/invitations/${foreignInvitation}/accept`),
        as.attendee.post(`/api/invitations/${foreignInvitation}/decline`, { reason: '不去' }),
        as.attendee.post(`/api/invitations/${foreignInvitation}/check-in`),
      ];
      const statuses = (await Promise.all(attempts)).map((r) => r.status);
      for (const s of statuses) expect([400, 403, 404]).toContain(s);
      expect(statuses.filter((s) => s === 403 || s === 404).length).toBeGreaterThanOrEqual(4);
      expect(await state()).toBe(before);
    });

    it('live: every event on a meeting the sender is not part of is refused, and nothing reaches them (a leader watches, never steers, a meeting it does not chair)', async () => {
      const before = await state();
      const bodies: Record<string, object> = {
        'meeting.join': { meetingId: foreign },
        'meeting.leave': { meetingId: foreign },
        'input.submit': { meetingId: foreign, clientKey: randomUUID(), kind: 'problem', text: '闯入' },
        'input.cosign': { inputId: foreignInput, clientKey: randomUUID() },
        'speaker.request': { meetingId: foreign, clientKey: randomUUID() },
        'speaker.withdraw': { meetingId: foreign },
        'poll.vote': { pollId: foreignPoll, choice: 'yes', clientKey: randomUUID() },
        'speaker.next': { meetingId: foreign },
        'agenda.advance': { meetingId: foreign },
        'poll.open': { meetingId: foreign, kind: 'named', question: '闯入的表决', choices: ['yes', 'no'] },
        'poll.close': { pollId: foreignPoll },
        'input.moderate': { inputId: foreignInput, action: 'hide', reason: '闯入' },
        'meeting.open': { meetingId: foreign },
        'meeting.adjourn': { meetingId: foreign },
      };
      const liveEvents = discoverSocketEvents(t.app).filter((e) => e.namespace === '/live');
      // A new live event needs a foreign probe here.
      expect(sorted(liveEvents.map((e) => e.event))).toEqual(sorted(Object.keys(bodies)));
      const outsiders: Role[] = ['attendee', 'unit_handler', 'leader'];
      const accepted: string[] = [];
      for (const role of outsiders) {
        const s = await live(as[role]);
        const pushed: unknown[] = [];
        s.on('meeting.events', (batch: unknown) => pushed.push(batch));
        for (const e of liveEvents.filter((ev) => ev.roles.includes(role))) {
          const ack = await emitAck(s, e.event, bodies[e.event]);
          // Leaving a room one never joined is harmless; everything else must be refused.
          if (e.event === 'meeting.leave') continue;
          // Leaders oversee every meeting (they read it over HTTP too): they may watch, not steer.
          if (e.event === 'meeting.join' && role === 'leader') {
            expect(ack.ok).toBe(true);
            await emitAck(s, 'meeting.leave', { meetingId: foreign });
            continue;
          }
          if (ack.ok || !['FORBIDDEN', 'NOT_FOUND'].includes(ack.error.code))
            accepted.push(`${e.event} as ${role} → ${JSON.stringify(ack)}`);
        }
        expect(pushed).toEqual([]);
      }
      expect(accepted).toEqual([]);
      expect(await state()).toBe(before);
    });

    it('supervision: a unit handler may follow its own unit’s channel, not another’s nor the office’s', async () => {
      const s = await live(as.unit_handler, '/supervision');
      expect(await emitAck(s, 'channel.join', { channel: `unit:${units['县金融服务中心']}` })).toMatchObject({
        ok: true,
      });
      for (const channel of [`unit:${units['县农村商业银行']}`, 'supervision'])
        expect(await emitAck(s, 'channel.join', { channel })).toMatchObject({
          ok: false,
          error: { code: 'FORBIDDEN' },
        });
    });
  });
});
