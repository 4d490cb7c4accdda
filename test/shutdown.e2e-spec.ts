/* Readiness vs liveness for the balancer, and what a draining node does (SIGTERM runs drainApp):
 * readiness 503 `draining` while liveness stays 200, HTTP answers close their connection, no new
 * socket is taken, the sockets it holds are closed (their clients reconnect elsewhere). */
import { DrainState } from '@liexi/platform';
import { io, type Socket } from 'socket.io-client';
import { drainApp } from '../apps/api/src/graceful-shutdown';
import { Api, connectLive, startTestApp, type TestApp, waitFor } from './support/app';
import { ackOk } from './support/live';
import { demoMeetingId } from './support/demo-meeting';

describe('readiness, liveness and draining', () => {
  let t: TestApp;
  let tablet: Socket | undefined;

  /** One connection attempt to /live: connected, refused (connect_error) or its transport closed. */
  const attempt = (token: string | undefined): Promise<string> =>
    new Promise((resolve) => {
      const s = io(`${t.baseUrl}/live`, {
        auth: { token },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      const done = (outcome: string): void => {
        s.close();
        resolve(outcome);
      };
      s.once('connect', () => done('connected'));
      s.once('connect_error', (err) => done(`refused: ${err.message}`));
      s.io.once('close', () => done('transport closed'));
    });

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    tablet?.close();
    await t.close();
  });

  it('answers readiness 200 with the database, liveness 200 without it', async () => {
    const ready = await fetch(`${t.baseUrl}/api/health`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', database: 'ok' });
    const live = await fetch(`${t.baseUrl}/api/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toMatchObject({ status: 'ok', uptimeSeconds: expect.any(Number) });
  });

  it('drains: readiness 503 while liveness stays 200, no new socket, held sockets closed', async () => {
    const sec = await Api.login(t.baseUrl, 'secretary');
    const meetingId = await demoMeetingId(sec);
    const citizen = await Api.login(t.baseUrl, 'citizen1');
    tablet = await connectLive(t.baseUrl, citizen.token);
    await ackOk(tablet, 'meeting.join', { meetingId });
    const closed = new Promise<string>((resolve) => tablet?.once('disconnect', resolve));

    t.app.get(DrainState).start();
    const ready = await fetch(`${t.baseUrl}/api/health`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('connection')).toBe('close');
    expect(await ready.json()).toMatchObject({ status: 'draining' });
    expect((await fetch(`${t.baseUrl}/api/health/live`)).status).toBe(200);
    // A new socket's transport is closed at once: the client's manager reconnects (elsewhere).
    expect(await attempt(citizen.token)).toBe('transport closed');

    await drainApp(t.app);
    expect(await closed).toBe('transport close');
    await waitFor(() => tablet?.connected === false);
  });
});
