/* 联名: co-signers of an input are proposers of the task item made from it — they see it,
 * and the item is evaluated only once every proposer has rated the reply. */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { Api, connectLive, startTestApp, type TestApp } from './support/app';
import { demoMeetingId } from './support/demo-meeting';
import { ackOk } from './support/live';

describe('co-signers are proposers', () => {
  let t: TestApp;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    t = await startTestApp({ JOBS_ENABLED: 'false' });
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t.close();
  });

  it('lets the co-signer see and rate the item, and waits for both ratings', async () => {
    const [secretary, member, deputy, citizen] = await Promise.all(
      ['secretary', 'member1', 'deputy1', 'citizen1'].map((u) => Api.login(t.baseUrl, u)),
    );
    const meetingId = await demoMeetingId(secretary);
    const [authorTablet, cosignerTablet] = await Promise.all([
      connectLive(t.baseUrl, member.token),
      connectLive(t.baseUrl, deputy.token),
    ]);
    sockets.push(authorTablet, cosignerTablet);
    const { inputId } = await ackOk(authorTablet, 'input.submit', {
      meetingId,
      clientKey: randomUUID(),
      kind: 'suggestion',
      text: '建议依托单县羊肉汤品牌建设文化产业园。',
    });
    await ackOk(cosignerTablet, 'input.cosign', { inputId, clientKey: randomUUID() });

    const units = await secretary.all<{ id: string; name: string }>('/api/units');
    const task = await secretary.ok(
      secretary.post('/api/tasks', {
        inputIds: [inputId],
        problem: '羊肉汤产业规模化发展',
        leadUnitId: units.find((u) => u.name === '县金融服务中心')?.id,
        measure: '完善产业发展规划',
        deadline: '2027-06-30',
        closeOutStandard: '规划印发实施',
        taskClass: 'A',
        assign: true,
      }),
      201,
    );
    const ids = await Promise.all(
      [member, deputy].map(
        async (a) => (await a.ok<{ participantId: string }>(a.get('/api/auth/me'))).participantId,
      ),
    );
    expect([...task.proposers.participantIds].sort()).toEqual([...ids].sort());
    expect((await deputy.get(`/api/tasks/${task.id}`)).status).toBe(200);
    expect((await citizen.get(`/api/tasks/${task.id}`)).status).toBe(404);

    const [handler, head, leader] = await Promise.all(
      ['handler', 'head', 'leader'].map((u) => Api.login(t.baseUrl, u)),
    );
    await handler.ok(handler.post(`/api/tasks/${task.id}/accept`));
    await handler.ok(handler.post(`/api/tasks/${task.id}/reply`, { body: '已纳入产业规划。' }));
    await head.ok(head.post(`/api/tasks/${task.id}/reply/sign`, {}));
    await secretary.ok(secretary.post(`/api/tasks/${task.id}/reply/review`, {}));
    await leader.ok(leader.post(`/api/tasks/${task.id}/reply/approve`, {}));
    await secretary.ok(secretary.post(`/api/tasks/${task.id}/reply/send`, {}));

    const afterAuthor = await member.ok(
      member.post(`/api/tasks/${task.id}/evaluation`, { rating: 'satisfied' }),
    );
    expect(afterAuthor.state).toBe('replied'); // the co-signer has not rated yet
    const afterCosigner = await deputy.ok(
      deputy.post(`/api/tasks/${task.id}/evaluation`, { rating: 'basically_satisfied' }),
    );
    expect(afterCosigner.state).toBe('evaluated');
  });
});
