/* Structured logs: one JSON object per line, a request or socket-event id on every line, the
 * account (never for an anonymous act), durations; tokens, passwords and phone numbers never written. */
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '@liexi/platform';
import { createApp } from '../apps/api/src/bootstrap';
import { Api } from './support/app';
import { createTestDatabase } from './support/database';
import { demoMeetingId } from './support/demo-meeting';
import { connectLive, waitFor } from './support/app';
import { ackOk } from './support/live';

describe('structured logs', () => {
  const lines: string[] = [];
  const json = (): any[] => lines.map((l) => JSON.parse(l));
  let app: INestApplication;
  let baseUrl: string;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = () => db.drop();
    const config = loadConfig({
      NODE_ENV: 'test',
      JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
      PASSWORD_SCRYPT_LOG_N: '14',
      LOG_LEVEL: 'debug',
    });
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(
          ...chunk
            .toString('utf8')
            .split('\n')
            .filter((l) => l !== ''),
        );
        done();
      },
    });
    app = await createApp(config, db.url, { logDestination: destination });
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer() as { address(): AddressInfo }).address().port}`;
  });
  afterAll(async () => {
    await app.close();
    await drop();
  });

  it('writes every line as JSON with a level, a time and a message', () => {
    expect(lines.length).toBeGreaterThan(0);
    for (const line of json())
      expect(line).toMatchObject({ level: expect.any(Number), time: expect.any(String) });
  });

  it('logs a request once with its id (the balancer’s X-Request-Id), the account, the status and the duration', async () => {
    const sec = await Api.login(baseUrl, 'secretary');
    const res = await sec.request('GET', '/api/meetings', undefined, { 'x-request-id': 'lb-7f3a-0001' });
    expect(res.status).toBe(200);
    await waitFor(() => json().some((l) => l.req?.id === 'lb-7f3a-0001'));
    const line = json().find((l) => l.req?.id === 'lb-7f3a-0001');
    expect(line).toMatchObject({
      req: { method: 'GET', url: '/api/meetings' },
      res: { statusCode: 200 },
      accountId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      durationMs: expect.any(Number),
    });
    // The login line: no account (not yet authenticated), no password, no token.
    const login = json().find((l) => l.req?.url === '/api/auth/login');
    expect(login).toBeDefined();
    expect(login.accountId).toBeUndefined();
  });

  it('gives every socket event an id, names the account except for an anonymous act, and times it', async () => {
    const sec = await Api.login(baseUrl, 'secretary');
    const meetingId = await demoMeetingId(sec);
    const tablet = await connectLive(baseUrl, (await Api.login(baseUrl, 'citizen1')).token);
    try {
      await ackOk(tablet, 'meeting.join', { meetingId });
      await ackOk(tablet, 'input.submit', {
        meetingId,
        clientKey: 'log-named-0001',
        kind: 'problem',
        text: '养老服务站点不足，联系电话 13912345678',
      });
      await ackOk(tablet, 'input.submit', {
        meetingId,
        clientKey: 'log-anon-0001',
        kind: 'problem',
        text: '匿名：道路积水',
        anonymous: true,
      });
      const refused = await tablet.timeout(5000).emitWithAck('poll.vote', { pollId: 'nope' });
      expect(refused.ok).toBe(false);
    } finally {
      tablet.close();
    }
    await waitFor(() => json().filter((l) => l.event === 'input.submit').length >= 2);
    const submits = json().filter((l) => l.event === 'input.submit');
    const [named, anonymous] = submits;
    expect(named).toMatchObject({
      eventId: expect.any(String),
      socketId: expect.any(String),
      accountId: expect.any(String),
      durationMs: expect.any(Number),
    });
    expect(anonymous.eventId).not.toBe(named.eventId);
    expect(anonymous.accountId).toBeUndefined();
    await waitFor(() => json().some((l) => l.event === 'poll.vote'));
    expect(json().find((l) => l.event === 'poll.vote')).toMatchObject({ level: 40, code: 'VALIDATION' });
  });

  it('never writes a password, a token or a phone number', () => {
    const all = lines.join('\n');
    expect(all).not.toContain('"demo"');
    expect(all).not.toMatch(/eyJ[\w-]+\.[\w-]+/); // a JWT
    expect(all).not.toContain('13912345678');
  });
});
