/* HTTP and socket edges as an attacker meets them: security headers, no caching of tokens and
 * personal data, the API documents off in production, socket origins (polling handshake too),
 * throttled sign-in, check-in and import with Retry-After, bad bodies answered 4xx with nothing
 * stored, strict dates, unknown socket events, and sockets whose tokens last 30 or 40 days. */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { io } from 'socket.io-client';
import { Api, connectLive, emitAck, startTestApp, type TestApp } from '../support/app';
import { demoMeetingId } from '../support/demo-meeting';

const STRONG_SECRET = '9d2f6c1e8b7a0f3e5d4c2b1a9e8f7d6c';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const raw = (base: string, path: string, init: RequestInit = {}): Promise<Response> =>
  fetch(`${base}${path}`, init);
const json = { 'content-type': 'application/json' };

describe('security headers, bodies, dates and sockets (default configuration)', () => {
  let t: TestApp;
  let db: Client;
  let secretary: Api;

  beforeAll(async () => {
    t = await startTestApp();
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    secretary = await Api.login(t.baseUrl, 'secretary');
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  it('every api answer carries the security headers, no X-Powered-By, and Cache-Control: no-store', async () => {
    const login = await raw(t.baseUrl, '/api/auth/login', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ username: 'secretary', password: 'demo' }),
    });
    const me = await raw(t.baseUrl, '/api/auth/me', {
      headers: { authorization: `Bearer ${secretary.token}` },
    });
    const refused = await raw(t.baseUrl, '/api/participants');
    const unknown = await raw(t.baseUrl, '/api/nothing-here');
    for (const res of [login, me, refused, unknown]) {
      const h = res.headers;
      expect(h.get('x-powered-by')).toBeNull();
      expect(h.get('x-content-type-options')).toBe('nosniff');
      expect(h.get('x-frame-options')).toBe('DENY');
      expect(h.get('referrer-policy')).toBe('no-referrer');
      expect(h.get('content-security-policy')).toContain("default-src 'none'");
      expect(h.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(h.get('cache-control')).toBe('no-store');
    }
    expect([login.status, me.status, refused.status, unknown.status]).toEqual([200, 200, 401, 404]);
  });

  it('the docs page gets a CSP it can live with: its own scripts only, and none inline', async () => {
    const page = await raw(t.baseUrl, '/api/docs');
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("'unsafe-eval'");
    const html = await page.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc=/); // an inline script would be blocked by script-src 'self'
      expect(body?.trim()).toBe('');
    }
    for (const src of scripts.map(([, attrs]) => /src="([^"]+)"/.exec(attrs ?? '')?.[1] ?? '')) {
      const res = await raw(t.baseUrl, new URL(src, `${t.baseUrl}/api/docs/`).pathname);
      expect(res.status).toBe(200);
    }
    expect((await raw(t.baseUrl, '/api/docs-json')).status).toBe(200);
  });

  it('the HTTP api grants no cross-origin reads', async () => {
    const res = await raw(t.baseUrl, '/api/health/live', { headers: { origin: 'https://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  describe('bad bodies: 4xx with a code, nothing stored', () => {
    const units = async (): Promise<number> =>
      (await db.query('SELECT count(*)::int AS n FROM unit')).rows[0].n;
    const post = (body: string, headers: Record<string, string> = {}): Promise<Response> =>
      raw(t.baseUrl, '/api/units', {
        method: 'POST',
        headers: { ...json, authorization: `Bearer ${secretary.token}`, ...headers },
        body,
      });

    test.each([
      ['a body over 100 KB', 413, 'PAYLOAD_TOO_LARGE', JSON.stringify({ name: 'x'.repeat(150_000) })],
      [
        'nesting 40 000 deep (within the size limit)',
        400,
        'VALIDATION',
        `{"name":${'['.repeat(40_000)}${']'.repeat(40_000)}}`,
      ],
      ['a NUL byte', 400, 'VALIDATION', JSON.stringify({ name: '单位\u0000名' })],
      ['a lone surrogate', 400, 'VALIDATION', '{"name":"\\ud800单位"}'],
      ['invalid JSON', 400, 'VALIDATION', '{"name": "单位"'],
      ['a NUL byte in a key', 400, 'VALIDATION', '{"name":"单位","\\u0000":1}'],
      ['__proto__', 400, 'VALIDATION', '{"name":"单位","__proto__":{"admin":true}}'],
    ])('%s → %i %s', async (_name, status, code, body) => {
      const before = await units();
      const res = await post(body);
      expect(res.status).toBe(status);
      expect(await res.json()).toMatchObject({ code });
      expect(await units()).toBe(before);
    });

    it('answers in the client’s language, with the English detail apart', async () => {
      const big = await post(JSON.stringify({ name: 'x'.repeat(150_000) }), { 'accept-language': 'zh-CN' });
      expect(await big.json()).toEqual({
        code: 'PAYLOAD_TOO_LARGE',
        message: '请求内容过大',
        detail: 'the request body is over the limit of 100 KB',
      });
      const nul = (await (
        await post(JSON.stringify({ name: 'a\u0000' }), { 'accept-language': 'zh-CN' })
      ).json()) as {
        message: string;
        detail: string;
        fields: Record<string, string[]>;
      };
      expect(nul.message).toBe('请求内容不合法');
      expect(nul.detail).toMatch(/^[ -~]+$/); // English, apart
      expect(nul.fields).toEqual({ name: ['不能包含空字符（U+0000）'] });
    });
  });

  describe('dates: strict, with an offset, the same on every route', () => {
    const meeting = (startsAt: unknown, endsAt: unknown = '2027-03-01T12:00:00+08:00') =>
      secretary.post('/api/meetings', { kind: 'executive', title: '日期测试', startsAt, endsAt });

    test.each([
      ['30 February', '2027-02-30T10:00:00Z'],
      ['an epoch number', 1_803_000_000_000],
      ['a year +099999', '+099999-01-01T00:00:00Z'],
      ['no offset', '2027-03-01T09:00:00'],
      ['a date only', '2027-03-01'],
    ])('a meeting starting on %s is refused (400, startsAt named), nothing stored', async (_n, startsAt) => {
      const before = (await db.query('SELECT count(*)::int AS n FROM meeting')).rows[0].n;
      const res = await meeting(startsAt);
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.fields)).toEqual(['startsAt']);
      expect((await db.query('SELECT count(*)::int AS n FROM meeting')).rows[0].n).toBe(before);
    });

    it('an instant with an offset is stored as that instant', async () => {
      const m = await secretary.ok(meeting('2027-03-01T09:00:00+08:00'), 201);
      expect(m.startsAt).toBe('2027-03-01T01:00:00.000Z');
    });

    it('a task deadline before today (APP_TIME_ZONE) is refused, today is accepted', async () => {
      const units = await secretary.all<{ id: string }>('/api/units');
      const body = (deadline: string) => ({
        problem: '问题',
        leadUnitId: units[0]?.id,
        measure: '措施',
        deadline,
        closeOutStandard: '标准',
        taskClass: 'A',
      });
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
      const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      const past = await secretary.post('/api/tasks', body(yesterday));
      expect([past.status, past.body.fields]).toEqual([
        400,
        { deadline: ['deadline must not be in the past'] },
      ]);
      expect((await secretary.post('/api/tasks', body('2027-02-29'))).status).toBe(400);
      expect((await secretary.post('/api/tasks', body(today))).status).toBe(201);
    });

    it('figures: from after to is refused; a date-only bound is read in APP_TIME_ZONE', async () => {
      const bad = await secretary.get('/api/figures/attendance?from=2027-02-01&to=2027-01-01');
      expect([bad.status, Object.keys(bad.body.fields ?? {})]).toEqual([400, ['to']]);
      const ok = await secretary.ok(secretary.get('/api/figures/attendance?from=2027-01-01&to=2027-02-01'));
      expect(ok.period.from).toBe('2026-12-31T16:00:00.000Z');
      expect((await secretary.get('/api/figures/attendance?from=1700000000000')).status).toBe(400);
    });
  });

  describe('sockets', () => {
    it('an unknown event is answered NOT_FOUND, and so is one shaped like a prototype key', async () => {
      const s = await connectLive(t.baseUrl, secretary.token);
      try {
        for (const event of ['meeting.delete', '__proto__', 'constructor', 'toString'])
          expect(await emitAck(s, event, {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
        expect(s.connected).toBe(true);
      } finally {
        s.close();
      }
    });

    it('a NUL byte or a lone surrogate in input.submit is a VALIDATION ack; nothing stored', async () => {
      const member = await Api.login(t.baseUrl, 'member1');
      const meetingId = await demoMeetingId(secretary);
      const s = await connectLive(t.baseUrl, member.token);
      try {
        const before = (await db.query('SELECT count(*)::int AS n FROM input')).rows[0].n;
        for (const text of ['a\u0000b', 'x\ud83d'])
          expect(
            await emitAck(s, 'input.submit', { meetingId, clientKey: randomUUID(), kind: 'problem', text }),
          ).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { text: expect.any(Array) } } });
        expect((await db.query('SELECT count(*)::int AS n FROM input')).rows[0].n).toBe(before);
      } finally {
        s.close();
      }
    });

    const handshake = (origin?: string): Promise<Response> =>
      raw(t.baseUrl, '/socket.io/?EIO=4&transport=polling', { headers: origin ? { origin } : {} });

    it('the polling handshake: a foreign origin gets no session and no CORS grant; the own origin does', async () => {
      const evil = await handshake('https://evil.example');
      expect(evil.status).toBe(403);
      expect(evil.headers.get('access-control-allow-origin')).toBeNull();
      const own = await handshake(t.baseUrl);
      expect(own.status).toBe(200);
      expect(own.headers.get('access-control-allow-origin')).toBe(t.baseUrl);
      expect(own.headers.get('access-control-allow-credentials')).toBe('true');
      expect((await handshake()).status).toBe(200); // no Origin: not a browser's cross-site request
    });

    it('a foreign origin cannot open a socket over WebSocket either, even with a valid token', async () => {
      const refused = await new Promise<string>((resolve) => {
        const s = io(`${t.baseUrl}/live`, {
          auth: { token: secretary.token },
          transports: ['websocket'],
          extraHeaders: { origin: 'https://evil.example' },
          reconnection: false,
          forceNew: true,
        });
        s.once('connect', () => {
          s.close();
          resolve('connected');
        });
        s.once('connect_error', (err) => {
          s.close();
          resolve(err.message);
        });
      });
      expect(refused).not.toBe('connected');
    });
  });
});

describe('configured: LIVE_ORIGINS, production docs, throttling', () => {
  it('LIVE_ORIGINS adds origins to the api’s own', async () => {
    const t = await startTestApp({ LIVE_ORIGINS: 'https://console.example.gov.cn' });
    try {
      const res = await raw(t.baseUrl, '/socket.io/?EIO=4&transport=polling', {
        headers: { origin: 'https://console.example.gov.cn' },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('https://console.example.gov.cn');
      const evil = await raw(t.baseUrl, '/socket.io/?EIO=4&transport=polling', {
        headers: { origin: 'https://evil.example' },
      });
      expect(evil.status).toBe(403);
    } finally {
      await t.close();
    }
  });

  it('production serves no API documents unless API_DOCS=true', async () => {
    const prod = { NODE_ENV: 'production', JWT_SECRET: STRONG_SECRET, SEED_DEMO: 'false' };
    const off = await startTestApp(prod);
    try {
      for (const path of ['/api/docs', '/api/docs-json', '/api/docs/asyncapi'])
        expect((await raw(off.baseUrl, path)).status).toBe(404);
    } finally {
      await off.close();
    }
    const on = await startTestApp({ ...prod, API_DOCS: 'true' });
    try {
      for (const path of ['/api/docs', '/api/docs-json', '/api/docs/asyncapi'])
        expect((await raw(on.baseUrl, path)).status).toBe(200);
    } finally {
      await on.close();
    }
  });

  describe('throttling (AUTH_RATE_LIMIT=3: 3 per minute per account, 30 per address)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ AUTH_RATE_LIMIT: '3' });
    });
    afterAll(async () => {
      await t.close();
    });

    const login = (username: string, password = 'wrong') =>
      new Api(t.baseUrl).post('/api/auth/login', { username, password });
    const retryAfter = (res: Response): number => Number(res.headers.get('retry-after'));

    it('sign-in: the 4th attempt on one account in a minute is 429 with Retry-After, even with the right password', async () => {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await login('leader')).status);
      expect(statuses).toEqual([401, 401, 401]);
      const res = await raw(t.baseUrl, '/api/auth/login', {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ username: 'leader', password: 'demo' }),
      });
      expect(res.status).toBe(429);
      expect(await res.json()).toMatchObject({ code: 'RATE_LIMITED' });
      expect(retryAfter(res)).toBeGreaterThanOrEqual(1);
      expect(retryAfter(res)).toBeLessThanOrEqual(60);
      // Another account is not blocked by it.
      expect((await login('supervisor', 'demo')).status).toBe(200);
    });

    it('sign-in: one address is stopped after 30 attempts over many accounts', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 35; i++) statuses.push((await login(`nobody${i}`)).status);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
      expect(statuses.indexOf(429)).toBeLessThanOrEqual(30);
    });
  });

  it('check-in codes and imports are throttled per invitation and per account', async () => {
    const t = await startTestApp({ AUTH_RATE_LIMIT: '3' });
    try {
      const anon = new Api(t.baseUrl);
      const invitation = randomUUID();
      const guesses: number[] = [];
      for (let i = 0; i < 4; i++)
        guesses.push(
          (await anon.post('/api/check-in', { payload: `liexi:checkin:${invitation}:guess${i}000` })).status,
        );
      expect(guesses).toEqual([401, 401, 401, 429]);

      const secretary = await Api.login(t.baseUrl, 'secretary');
      const csv = Buffer.from('姓名,界别/身份\n试导入,专家\n', 'utf8').toString('base64');
      const imports: number[] = [];
      for (let i = 0; i < 4; i++)
        imports.push(
          (
            await secretary.post('/api/participants/import', {
              format: 'csv',
              contentBase64: csv,
              dryRun: true,
            })
          ).status,
        );
      expect(imports.slice(0, 3)).not.toContain(429);
      expect(imports[3]).toBe(429);
    } finally {
      await t.close();
    }
  });
});

describe('tokens that last longer than a Node timer (2^31 ms ≈ 24.8 days)', () => {
  it('a socket with a 30-day token (JWT_TTL_SECONDS max) stays connected', async () => {
    const t = await startTestApp({ JWT_TTL_SECONDS: String(30 * 24 * 3600) });
    try {
      const deputy = await Api.login(t.baseUrl, 'deputy1');
      const s = await connectLive(t.baseUrl, deputy.token);
      await sleep(1500);
      expect(s.connected).toBe(true);
      s.close();
    } finally {
      await t.close();
    }
  });

  it('a tablet checked in for a meeting 40 days out keeps its socket', async () => {
    const t = await startTestApp();
    try {
      const sec = await Api.login(t.baseUrl, 'secretary');
      const start = new Date(Date.now() + 40 * 86_400_000);
      const m = await sec.ok(
        sec.post('/api/meetings', {
          kind: 'executive',
          title: '四十天后的会议',
          startsAt: start.toISOString(),
          endsAt: new Date(start.getTime() + 3 * 3_600_000).toISOString(),
        }),
        201,
      );
      const people = await sec.all<{ id: string; name: string }>('/api/participants');
      const person = people.find((p) => p.name === '张秀兰');
      const inv = await sec.ok(
        sec.post(`/api/meetings/${m.id}/invitations`, { participantId: person?.id }),
        201,
      );
      const code = await sec.ok(sec.post(`/api/invitations/${inv.id}/check-in-code`), 201);
      const checked = await new Api(t.baseUrl).ok(
        new Api(t.baseUrl).post('/api/check-in', { payload: code.qrPayload }),
      );
      expect(Date.parse(checked.session.expiresAt) - Date.now()).toBeGreaterThan(2 ** 31);
      const s = await connectLive(t.baseUrl, checked.session.accessToken);
      await sleep(1500);
      expect(s.connected).toBe(true);
      s.close();
    } finally {
      await t.close();
    }
  });
});
