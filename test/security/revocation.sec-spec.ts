/* Rights that change while tokens and sockets are out take effect at once, over HTTP and on open
 * sockets: a signed-out token, a deactivated account or participant, a withdrawn invitation. */
import type { Socket } from 'socket.io-client';
import { Api, connectLive, emitAck, startTestApp, type TestApp, waitFor } from '../support/app';
import { demoMeetingId } from '../support/demo-meeting';

describe('revoked rights', () => {
  let t: TestApp;
  let secretary: Api;
  let meetingId: string;
  const sockets: Socket[] = [];
  const live = async (token: string | undefined): Promise<Socket> => {
    const s = await connectLive(t.baseUrl, token);
    sockets.push(s);
    return s;
  };

  beforeAll(async () => {
    t = await startTestApp();
    secretary = await Api.login(t.baseUrl, 'secretary');
    meetingId = await demoMeetingId(secretary);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t.close();
  });

  it('logout ends that token over HTTP and on its socket; another token of the same account lives on', async () => {
    const a = await Api.login(t.baseUrl, 'leader');
    const b = await Api.login(t.baseUrl, 'leader');
    const socketA = await live(a.token);
    const socketB = await live(b.token);
    expect((await a.post('/api/auth/logout')).status).toBeLessThan(300);
    expect((await a.get('/api/auth/me')).status).toBe(401);
    await waitFor(() => !socketA.connected);
    await expect(live(a.token)).rejects.toThrow();
    expect((await b.get('/api/auth/me')).status).toBe(200);
    expect(socketB.connected).toBe(true);
  });

  it('a deactivated account: its tokens fail over HTTP, its sockets are dropped, it cannot sign in', async () => {
    const created = await secretary.ok<{ id?: string; accountId?: string }>(
      secretary.post('/api/accounts', {
        username: 'temp_supervisor',
        password: 'a-long-enough-password-1',
        role: 'supervisor',
        displayName: '临时督查',
      }),
      201,
    );
    const temp = await Api.login(t.baseUrl, 'temp_supervisor', 'a-long-enough-password-1');
    const s = await live(temp.token);
    expect((await temp.get('/api/auth/me')).status).toBe(200);
    expect(
      (await secretary.post(`/api/accounts/${created.accountId ?? created.id}/deactivate`)).status,
    ).toBeLessThan(300);
    expect((await temp.get('/api/auth/me')).status).toBe(401);
    await waitFor(() => !s.connected);
    const again = await new Api(t.baseUrl).post('/api/auth/login', {
      username: 'temp_supervisor',
      password: 'a-long-enough-password-1',
    });
    expect(again.status).toBe(401);
  });

  it('a withdrawn invitation drops the person’s socket from the meeting, and a rejoin is refused', async () => {
    const start = new Date(Date.now() + 86_400_000);
    const m = await secretary.ok<{ id: string }>(
      secretary.post('/api/meetings', {
        kind: 'executive',
        title: '撤回邀请',
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 3_600_000).toISOString(),
      }),
      201,
    );
    const people = await secretary.all<{ id: string; name: string }>('/api/participants');
    const inv = await secretary.ok<{ id: string }>(
      secretary.post(`/api/meetings/${m.id}/invitations`, {
        participantId: people.find((p) => p.name === '张秀兰')?.id,
      }),
      201,
    );
    expect((await secretary.post(`/api/meetings/${m.id}/schedule`)).status).toBeLessThan(300);
    const citizen = await Api.login(t.baseUrl, 'citizen1');
    const tablet = await live(citizen.token);
    expect(await emitAck(tablet, 'meeting.join', { meetingId: m.id })).toMatchObject({ ok: true });
    const withdrawn = await secretary.post(`/api/invitations/${inv.id}/withdraw`, { reason: '另有安排' });
    expect([withdrawn.status, withdrawn.body]).toMatchObject([200, {}]);
    await waitFor(() => !tablet.connected);
    const back = await live(citizen.token);
    expect(await emitAck(back, 'meeting.join', { meetingId: m.id })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    // The person's other meetings are not touched: the demo meeting still takes them.
    expect(await emitAck(back, 'meeting.join', { meetingId })).toMatchObject({ ok: true });
  });

  it('a deactivated participant: the attendee’s token fails over HTTP and its socket is dropped', async () => {
    const member = await Api.login(t.baseUrl, 'entrepreneur1');
    const me = await member.ok<{ participantId?: string }>(member.get('/api/auth/me'));
    expect(me.participantId).toBeDefined();
    const s = await live(member.token);
    expect((await secretary.post(`/api/participants/${me.participantId}/deactivate`)).status).toBeLessThan(
      300,
    );
    expect((await member.get('/api/auth/me')).status).toBe(401);
    await waitFor(() => !s.connected);
  });
});
