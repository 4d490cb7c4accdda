/* The whole loop, end to end, on a real PostgreSQL: plan → invite → check in → live input over
 * socket.io → task item → assign → reply → approval → rating → close-out, with audit rows. */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Socket } from 'socket.io-client';
import { Api, collectEvents, connectLive, emitAck, startTestApp, type TestApp, waitFor } from './support/app';

describe('the closed loop, end to end', () => {
  let t: TestApp;
  let secretary: Api;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    secretary = await Api.login(t.baseUrl, 'secretary');
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t.close();
  });

  it('walks the pharmaceutical chairman’s collateral problem from input to close-out', async () => {
    // Plan: a meeting with an agenda item of category key_work; invite the CPPCC member.
    const meeting = await secretary.ok(
      secretary.post('/api/meetings', {
        kind: 'executive',
        title: '县政府第十三次常务会议',
        startsAt: new Date().toISOString(),
        endsAt: new Date(Date.now() + 7200_000).toISOString(),
        agenda: [
          { title: '医疗器械产业项目融资支持', category: 'key_work', topics: ['business_environment'] },
        ],
      }),
      201,
    );
    expect(meeting.status).toBe('draft');
    expect(meeting.agenda).toHaveLength(1);
    const agendaItemId: string = meeting.agenda[0].id;

    const participants = await secretary.all('/api/participants');
    const wang = participants.find((p: { name: string }) => p.name === '王建国');
    expect(wang.contact === undefined || typeof wang.contact === 'string' || wang.contact === null).toBe(
      true,
    );
    const invitation = await secretary.ok(
      secretary.post(`/api/meetings/${meeting.id}/invitations`, { participantId: wang.id }),
      201,
    );
    await secretary.ok(secretary.post(`/api/meetings/${meeting.id}/schedule`));
    await secretary.ok(secretary.post(`/api/meetings/${meeting.id}/open`));

    // The attendee checks in, joins live, and submits; the secretariat's console sees it.
    const member = await Api.login(t.baseUrl, 'member1');
    const mine = await member.all('/api/invitations/mine');
    expect(mine.map((i: { id: string }) => i.id)).toContain(invitation.id);
    const checkedIn = await member.ok(member.post(`/api/invitations/${invitation.id}/check-in`));
    expect(checkedIn.status).toBe('checked_in');

    const console_ = await connectLive(t.baseUrl, secretary.token);
    const tablet = await connectLive(t.baseUrl, member.token);
    sockets.push(console_, tablet);
    const consoleEvents = collectEvents(console_);
    const joinedConsole = await emitAck(console_, 'meeting.join', { meetingId: meeting.id });
    expect(joinedConsole.ok).toBe(true);
    const joined = await emitAck(tablet, 'meeting.join', { meetingId: meeting.id });
    expect(joined).toMatchObject({
      ok: true,
      data: { snapshot: { status: 'in_session', attendance: { present: 1, invited: 1 } } },
    });

    const text = '我公司新上医疗器械项目，缺少抵押物，银行贷款难以获批。';
    const ack = await emitAck(tablet, 'input.submit', {
      meetingId: meeting.id,
      clientKey: randomUUID(),
      kind: 'problem',
      text,
      agendaItemId,
    });
    if (!ack.ok) throw new Error(JSON.stringify(ack.error));
    const { inputId, seq } = ack.data as { inputId: string; seq: number };
    expect(seq).toBeGreaterThan(joinedConsole.ok ? (joinedConsole.data as { seq: number }).seq : 0);

    // The ack came after commit: the row is there.
    const inputs = await secretary.all(`/api/meetings/${meeting.id}/inputs`);
    expect(inputs).toEqual([
      expect.objectContaining({ inputId, text, author: expect.objectContaining({ name: '王建国' }) }),
    ]);
    await waitFor(() =>
      consoleEvents.some((e) => e.type === 'input.submitted' && e.data.inputId === inputId),
    );
    const pushed = consoleEvents.find((e) => e.type === 'input.submitted');
    expect(pushed?.seq).toBe(seq);

    // The secretariat converts the input into a task item and assigns it at once.
    const units = await secretary.all('/api/units');
    const unitId = (name: string): string => units.find((u: { name: string }) => u.name === name).id;
    const task = await secretary.ok(
      secretary.post('/api/tasks', {
        meetingId: meeting.id,
        inputIds: [inputId],
        problem: '医疗器械项目缺少抵押物，融资难',
        leadUnitId: unitId('县金融服务中心'),
        cooperatingUnitIds: [unitId('县农村商业银行')],
        responsiblePerson: '金融服务中心主任',
        measure: '知识产权质押贷款',
        deadline: '2026-12-31',
        closeOutStandard: '贷款审批发放到位',
        taskClass: 'A',
        urgency: 'immediate',
        assign: true,
      }),
      201,
    );
    expect(task).toMatchObject({
      state: 'assigned',
      sourceInputIds: [inputId],
      proposers: { participantIds: [wang.id], anonymousCount: 0 },
    });
    await waitFor(() => consoleEvents.some((e) => e.type === 'task.created' && e.data.taskId === task.id));
    const afterConvert = await secretary.all(`/api/meetings/${meeting.id}/inputs`);
    expect(afterConvert[0].inputId).toBe(inputId);

    // The lead unit's handler accepts and replies; the leader approves; the secretariat sends.
    const handler = await Api.login(t.baseUrl, 'handler');
    expect((await handler.ok(handler.post(`/api/tasks/${task.id}/accept`))).state).toBe('accepted');
    const replyBody = '1650万元知识产权质押贷款已获批，另发放1500万元流动资金贷款。';
    expect((await handler.ok(handler.post(`/api/tasks/${task.id}/reply`, { body: replyBody }))).state).toBe(
      'reply_drafted',
    );
    // 分级审核 (issue 5): the unit head signs, the government office reviews; the rural bank sent
    // no opinion, so the secretariat waives it before the leader may approve.
    const head = await Api.login(t.baseUrl, 'head');
    expect((await head.ok(head.post(`/api/tasks/${task.id}/reply/sign`, {}))).state).toBe('reply_signed');
    expect((await secretary.ok(secretary.post(`/api/tasks/${task.id}/reply/review`, {}))).state).toBe(
      'reply_reviewed',
    );
    await secretary.ok(
      secretary.post(`/api/tasks/${task.id}/opinions/${unitId('县农村商业银行')}/waive`, {
        reason: '银行已在会上当面表态支持',
      }),
    );
    const leader = await Api.login(t.baseUrl, 'leader');
    expect((await leader.ok(leader.post(`/api/tasks/${task.id}/reply/approve`, {}))).state).toBe(
      'reply_approved',
    );
    expect((await secretary.ok(secretary.post(`/api/tasks/${task.id}/reply/send`))).state).toBe('replied');

    // The proposer sees the item and rates the reply; the secretariat closes it out.
    const seen = await member.ok(member.get(`/api/tasks/${task.id}`));
    expect(seen.replies).toEqual([expect.objectContaining({ body: replyBody, approved: true })]);
    expect(
      (await member.ok(member.post(`/api/tasks/${task.id}/evaluation`, { rating: 'satisfied' }))).state,
    ).toBe('evaluated');
    const closed = await secretary.ok(secretary.post(`/api/tasks/${task.id}/close`));
    expect(closed.state).toBe('closed');
    expect(closed.closedAt).not.toBeNull();

    // The ledger row is computed from those records.
    const ledger = await secretary.all(`/api/ledger?meetingId=${meeting.id}`);
    expect(ledger).toEqual([
      expect.objectContaining({
        taskId: task.id,
        meeting: '县政府第十三次常务会议',
        agendaItem: '医疗器械产业项目融资支持',
        proposers: ['王建国'],
        leadUnit: '县金融服务中心',
        cooperatingUnits: ['县农村商业银行'],
        measure: '知识产权质押贷款',
        state: 'closed',
        reply: replyBody,
        ratings: ['satisfied'],
      }),
    ]);

    // Every state change left its audit row, in order.
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      const audit = await db.query<{ action: string }>(
        `SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY at, action`,
        [task.id],
      );
      expect(audit.rows.map((r) => r.action)).toEqual(
        expect.arrayContaining([
          'task.created',
          'task.assign',
          'task.accept',
          'task.draft_reply',
          'task.sign_reply',
          'task.review_reply',
          'task.opinion_waived',
          'task.approve_reply',
          'task.send_reply',
          'task.rated',
          'task.evaluate',
          'task.close',
        ]),
      );
      expect(audit.rows).toHaveLength(12);
    } finally {
      await db.end();
    }
  });

  it('refuses an illegal step with INVALID_TRANSITION and lists the allowed ones', async () => {
    const units = await secretary.all('/api/units');
    const task = await secretary.ok(
      secretary.post('/api/tasks', {
        problem: '一会一单：城区学校学位扩容',
        leadUnitId: units[0].id,
        measure: '新建学校',
        deadline: '2027-08-31',
        closeOutStandard: '新增学位投入使用',
        taskClass: 'B',
      }),
      201,
    );
    expect(task.state).toBe('draft');
    const res = await secretary.post(`/api/tasks/${task.id}/close`);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'INVALID_TRANSITION', allowed: ['assign'] });
  });

  it('lists only the meetings the caller may see', async () => {
    const member = await Api.login(t.baseUrl, 'deputy1');
    const mine = await member.all('/api/meetings');
    const all = await secretary.all('/api/meetings');
    expect(all.length).toBeGreaterThan(mine.length);
    expect(mine.every((m: { title: string }) => m.title.includes('演示'))).toBe(true);
  });
});
