/* Bad input and access at both edges: clear errors with codes, nothing stored, sockets stay up. */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Socket } from 'socket.io-client';
import { Api, connectLive, emitAck, startTestApp, type TestApp } from './support/app';
import { demoMeetingId } from './support/demo-meeting';

describe('edges: validation, authentication, roles', () => {
  let t: TestApp;
  let db: Client;
  let secretary: Api;
  let meetingId: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    secretary = await Api.login(t.baseUrl, 'secretary');
    meetingId = await demoMeetingId(secretary);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await db.end();
    await t.close();
  });

  const count = async (table: string): Promise<number> =>
    Number((await db.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);

  describe('HTTP', () => {
    it('answers unknown fields and wrong types with 400 VALIDATION and field errors, storing nothing', async () => {
      const before = await count('meeting');
      const res = await secretary.post('/api/meetings', {
        kind: 'party',
        title: 42,
        startsAt: 'tomorrow',
        endsAt: new Date().toISOString(),
        colour: 'red',
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION' });
      expect(Object.keys(res.body.fields).sort()).toEqual(['colour', 'kind', 'startsAt', 'title']);
      expect(await count('meeting')).toBe(before);
    });

    it('answers malformed JSON with 400 VALIDATION', async () => {
      const res = await secretary.request('POST', '/api/meetings', '{"kind":', {
        'content-type': 'application/json',
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION' });
    });

    it('requires class C items to carry their reason', async () => {
      const units = await secretary.all('/api/units');
      const res = await secretary.post('/api/tasks', {
        problem: '历史遗留问题',
        leadUnitId: units[0].id,
        measure: '解释说明',
        deadline: '2026-12-31',
        closeOutStandard: '答复到位',
        taskClass: 'C',
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION', fields: { classReason: expect.any(Array) } });
    });

    it('denies a route without a token (401) and a role the route does not name (403)', async () => {
      const anonymous = new Api(t.baseUrl);
      expect(await anonymous.get('/api/meetings')).toMatchObject({
        status: 401,
        body: { code: 'UNAUTHORIZED' },
      });
      const forged = new Api(t.baseUrl, 'not-a-token');
      expect((await forged.get('/api/meetings')).status).toBe(401);
      const member = await Api.login(t.baseUrl, 'member1');
      expect(await member.post('/api/meetings', {})).toMatchObject({
        status: 403,
        body: { code: 'FORBIDDEN' },
      });
      expect((await member.get('/api/participants')).status).toBe(403);
      const handler = await Api.login(t.baseUrl, 'handler');
      expect((await handler.get('/api/ledger')).status).toBe(403);
    });

    it('rejects a wrong password with 401 and speaks Chinese when asked', async () => {
      const res = await new Api(t.baseUrl).request(
        'POST',
        '/api/auth/login',
        { username: 'secretary', password: 'nope' },
        {
          'accept-language': 'zh-CN,zh;q=0.9',
        },
      );
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({
        code: 'UNAUTHORIZED',
        message: expect.stringContaining('身份验证失败'),
      });
    });

    it('shows contact details to the secretariat only', async () => {
      const created = await secretary.ok(
        secretary.post('/api/participants', {
          name: '赵医生',
          constituency: 'expert',
          contact: '13800000000',
        }),
        201,
      );
      expect(created.contact).toBe('13800000000');
      const leader = await Api.login(t.baseUrl, 'leader');
      const seen = (await leader.all('/api/participants')).find((p: { id: string }) => p.id === created.id);
      expect(seen).toBeDefined();
      expect(seen).not.toHaveProperty('contact');
    });

    it('serves health and the OpenAPI document without a token', async () => {
      const anonymous = new Api(t.baseUrl);
      expect(await anonymous.get('/api/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
      const doc = await anonymous.get<{ paths: Record<string, unknown> }>('/api/docs-json');
      expect(doc.status).toBe(200);
      expect(Object.keys(doc.body.paths)).toEqual(
        expect.arrayContaining(['/api/auth/login', '/api/tasks/{id}/close']),
      );
    });
  });

  describe('socket.io /live', () => {
    it('never connects a socket without a valid token', async () => {
      await expect(connectLive(t.baseUrl, undefined)).rejects.toThrow('UNAUTHORIZED');
      await expect(connectLive(t.baseUrl, 'forged.token.value')).rejects.toThrow('UNAUTHORIZED');
    });

    it('answers invalid payloads through the ack with VALIDATION and field errors; the socket stays up', async () => {
      const member = await Api.login(t.baseUrl, 'member1');
      const tablet = await connectLive(t.baseUrl, member.token);
      sockets.push(tablet);
      const before = await count('input');
      const bad = await emitAck(tablet, 'input.submit', {
        meetingId,
        clientKey: 'x',
        kind: 'rant',
        text: '',
        extra: 1,
      });
      expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      expect(bad.ok ? [] : Object.keys(bad.error.fields ?? {}).sort()).toEqual([
        'clientKey',
        'extra',
        'kind',
        'text',
      ]);
      const notAnObject = await emitAck(tablet, 'input.submit', 'hello');
      expect(notAnObject).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
      expect(tablet.connected).toBe(true);
      expect(await count('input')).toBe(before);
      // Still usable afterwards.
      const good = await emitAck(tablet, 'input.submit', {
        meetingId,
        clientKey: randomUUID(),
        kind: 'opinion',
        text: '同意',
      });
      expect(good.ok).toBe(true);
    });

    it('refuses events the role does not allow, and meetings the attendee is not invited to', async () => {
      const leader = await Api.login(t.baseUrl, 'leader');
      const console_ = await connectLive(t.baseUrl, leader.token);
      sockets.push(console_);
      const res = await emitAck(console_, 'input.submit', {
        meetingId,
        clientKey: randomUUID(),
        kind: 'opinion',
        text: '领导不提交意见',
      });
      expect(res).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

      const other = await secretary.ok(
        secretary.post('/api/meetings', {
          kind: 'symposium',
          title: '企业家座谈会',
          startsAt: new Date().toISOString(),
          endsAt: new Date(Date.now() + 3600_000).toISOString(),
        }),
        201,
      );
      const member = await Api.login(t.baseUrl, 'member1');
      const tablet = await connectLive(t.baseUrl, member.token);
      sockets.push(tablet);
      expect(await emitAck(tablet, 'meeting.join', { meetingId: other.id })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
      expect(
        await emitAck(tablet, 'input.submit', {
          meetingId: other.id,
          clientKey: randomUUID(),
          kind: 'opinion',
          text: '越权',
        }),
      ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(tablet.connected).toBe(true);
    });

    it('refuses input with SESSION_CLOSED once the meeting is adjourned', async () => {
      const member = await Api.login(t.baseUrl, 'entrepreneur1');
      const tablet = await connectLive(t.baseUrl, member.token);
      sockets.push(tablet);
      await secretary.ok(secretary.post(`/api/meetings/${meetingId}/adjourn`));
      const res = await emitAck(tablet, 'input.submit', {
        meetingId,
        clientKey: randomUUID(),
        kind: 'opinion',
        text: '散会后',
      });
      expect(res).toMatchObject({ ok: false, error: { code: 'SESSION_CLOSED' } });
      await secretary.ok(secretary.post(`/api/meetings/${meetingId}/open`));
    });
  });
});
