/* The closed loop's parts over HTTP on a real PostgreSQL: dispositions of inputs, the approval
 * chain with send-backs at each level, cooperating opinions (blocked, then waived), progress,
 * reopen on unsatisfied with a new deadline, extension history, publication, role visibility. */
import { Client } from 'pg';
import { Api, startTestApp, type TestApp } from './support/app';
import { COOP, type Cast, cast, itemBody, walk, TO_REPLIED } from './support/tasks';

describe('handling the items', () => {
  let t: TestApp;
  let c: Cast;
  let bank: Api;
  let db: Client;

  beforeAll(async () => {
    t = await startTestApp({ JOBS_ENABLED: 'false' });
    c = await cast(t.baseUrl);
    await c.secretary.ok(
      c.secretary.post('/api/accounts', {
        username: 'bank1',
        password: 'demo-demo',
        role: 'unit_handler',
        displayName: '农商行经办人',
        unitId: c.units[COOP],
      }),
      201,
    );
    bank = await Api.login(t.baseUrl, 'bank1', 'demo-demo');
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    for (const s of c?.sockets ?? []) s.close();
    await db?.end();
    await t.close();
  });

  const disposition = async (
    inputId: string,
  ): Promise<{ disposition: string; reason: string | null; task: string | null }> => {
    const r = await db.query(
      'SELECT disposition, disposition_reason AS reason, disposition_task_id AS task FROM input WHERE id = $1',
      [inputId],
    );
    return r.rows[0];
  };

  describe('from input to item', () => {
    it('merges duplicates: the first input is converted, the others merged, all authors propose', async () => {
      const a = await c.input(c.member);
      const b = await c.input(c.citizen, true);
      const item = await c.secretary.ok(
        c.secretary.post('/api/tasks', itemBody(c, { inputIds: [a, b] })),
        201,
      );
      expect(item.sourceInputIds.sort()).toEqual([a, b].sort());
      expect(item.proposers.anonymousCount).toBe(1);
      expect(item.proposers.participantIds).toHaveLength(1);
      expect(await disposition(a)).toMatchObject({ disposition: 'converted', task: item.id });
      expect(await disposition(b)).toMatchObject({ disposition: 'merged', task: item.id });

      const later = await c.input(c.member);
      const merged = await c.secretary.ok(
        c.secretary.post(`/api/tasks/${item.id}/inputs`, { inputIds: [later] }),
      );
      expect(merged.sourceInputIds).toContain(later);
      expect(await disposition(later)).toMatchObject({ disposition: 'merged', task: item.id });
      // An input is disposed of once.
      const again = await c.secretary.post(`/api/tasks/${item.id}/inputs`, { inputIds: [later] });
      expect([again.status, again.body.code]).toEqual([409, 'CONFLICT']);
    });

    it('answers an input directly or declines it with a reason, once', async () => {
      const a = await c.input();
      const b = await c.input();
      expect(
        await c.secretary.ok(c.secretary.post(`/api/inputs/${a}/answer`, { text: '该政策已于本月出台。' })),
      ).toEqual({
        inputId: a,
        disposition: 'answered',
      });
      await c.secretary.ok(c.secretary.post(`/api/inputs/${b}/decline`, { reason: '不属于县级事权' }));
      expect(await disposition(a)).toMatchObject({ disposition: 'answered', reason: '该政策已于本月出台。' });
      expect(await disposition(b)).toMatchObject({ disposition: 'declined', reason: '不属于县级事权' });
      const twice = await c.secretary.post(`/api/inputs/${a}/decline`, { reason: 'x' });
      expect([twice.status, twice.body.code]).toEqual([409, 'CONFLICT']);
      const byHandler = await c.handler.post(`/api/inputs/${b}/answer`, { text: 'x' });
      expect(byHandler.status).toBe(403);
      const notices = await db.query(
        `SELECT topic, text_zh FROM notification WHERE dedupe_key IN ($1, $2) ORDER BY topic`,
        [`input.answered:${a}`, `input.declined:${b}`],
      );
      expect(notices.rows.map((r) => r.topic)).toEqual(['input.answered', 'input.declined']);
    });

    it('requires the reason for class C and a deadline, and counts working days', async () => {
      const noReason = await c.secretary.post('/api/tasks', itemBody(c, { taskClass: 'C' }));
      expect([noReason.status, noReason.body.code]).toEqual([400, 'VALIDATION']);
      const noDeadline = await c.secretary.post('/api/tasks', itemBody(c, { deadline: undefined }));
      expect(noDeadline.status).toBe(400);
      const c1 = await c.secretary.ok(
        c.secretary.post(
          '/api/tasks',
          itemBody(c, { taskClass: 'C', classReason: '不在城镇开发边界内，用地手续无法办理' }),
        ),
        201,
      );
      expect(c1.classReason).toContain('开发边界');
      const wd = await c.secretary.ok(
        c.secretary.post('/api/tasks', itemBody(c, { deadline: undefined, deadlineWorkingDays: 10 })),
        201,
      );
      expect(wd.deadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    });

    it('lists a meeting’s decided matters as one list with progress (一会一单)', async () => {
      const item = await c.secretary.ok(
        c.secretary.post('/api/tasks', itemBody(c, { meetingId: c.meetingId, assign: true })),
        201,
      );
      await walk(c, item.id, ['accept', 'start']);
      await c.handler.ok(
        c.handler.post(`/api/tasks/${item.id}/progress`, { text: '已对接银行', percent: 40 }),
      );
      const list = await c.supervisor.ok(c.supervisor.get(`/api/meetings/${c.meetingId}/task-list`));
      const row = list.items.find((i: { id: string }) => i.id === item.id);
      expect(row).toMatchObject({ state: 'in_progress', percent: 40 });
      expect(list.counts.total).toBe(list.items.length);
      expect((await c.handler.get(`/api/meetings/${c.meetingId}/task-list`)).status).toBe(403);
    });
  });

  describe('returned and reassigned', () => {
    it('the unit returns with a reason and a suggested unit; the secretariat reassigns to it', async () => {
      const item = await c.secretary.ok(c.secretary.post('/api/tasks', itemBody(c, { assign: true })), 201);
      const returned = await c.handler.ok(
        c.handler.post(`/api/tasks/${item.id}/return`, {
          reason: '属农商行信贷业务',
          suggestedUnitId: c.units[COOP],
        }),
      );
      expect(returned).toMatchObject({
        state: 'returned',
        returnReason: '属农商行信贷业务',
        suggestedUnitId: c.units[COOP],
      });
      const re = await c.secretary.ok(
        c.secretary.post(`/api/tasks/${item.id}/assign`, { leadUnitId: c.units[COOP] }),
      );
      expect(re).toMatchObject({ state: 'assigned', leadUnitId: c.units[COOP], returnReason: null });
      // The old lead unit no longer sees it; the new one accepts.
      expect((await c.handler.get(`/api/tasks/${item.id}`)).status).toBe(404);
      expect((await bank.ok(bank.post(`/api/tasks/${item.id}/accept`))).state).toBe('accepted');
    });
  });

  describe('reply with multi-level approval', () => {
    it('each level may send it back with a comment; only the chain head → office → leader approves', async () => {
      const item = await c.secretary.ok(c.secretary.post('/api/tasks', itemBody(c, { assign: true })), 201);
      await walk(c, item.id, ['accept', 'start', 'draft_reply']);

      // Level 1: only the unit head signs or sends back; a plain handler or the office may not.
      expect((await c.handler.post(`/api/tasks/${item.id}/reply/sign`, {})).status).toBe(403);
      expect((await c.secretary.post(`/api/tasks/${item.id}/reply/send-back`, { reason: 'x' })).status).toBe(
        403,
      );
      expect((await c.leader.post(`/api/tasks/${item.id}/reply/approve`, {})).body.code).toBe(
        'INVALID_TRANSITION',
      );
      let v = await c.head.ok(c.head.post(`/api/tasks/${item.id}/reply/send-back`, { reason: '数据需核实' }));
      expect(v.state).toBe('in_progress');
      await walk(c, item.id, ['draft_reply', 'sign_reply']);

      // Level 2: the government office.
      expect((await c.leader.post(`/api/tasks/${item.id}/reply/send-back`, { reason: 'x' })).status).toBe(
        403,
      );
      v = await c.secretary.ok(
        c.secretary.post(`/api/tasks/${item.id}/reply/send-back`, { reason: '格式不规范' }),
      );
      expect(v.state).toBe('in_progress');
      await walk(c, item.id, ['draft_reply', 'sign_reply', 'review_reply']);

      // Level 3: the leader.
      v = await c.leader.ok(
        c.leader.post(`/api/tasks/${item.id}/reply/send-back`, { reason: '请明确放款时间' }),
      );
      expect(v.state).toBe('in_progress');
      v = await walk(c, item.id, ['draft_reply', 'sign_reply', 'review_reply', 'approve_reply']);
      expect(v.state).toBe('reply_approved');

      expect(v.replies).toHaveLength(4);
      const trail = v.replies.map(
        (r: { reviews: { level: string; decision: string; comment: string | null }[] }) =>
          r.reviews.map((x) => `${x.level}:${x.decision}${x.comment ? `:${x.comment}` : ''}`),
      );
      expect(trail).toEqual([
        ['sign:sent_back:数据需核实'],
        ['sign:passed', 'review:sent_back:格式不规范'],
        ['sign:passed', 'review:passed', 'approve:sent_back:请明确放款时间'],
        ['sign:passed', 'review:passed', 'approve:passed'],
      ]);
      expect(v.replies.map((r: { approved: boolean }) => r.approved)).toEqual([false, false, false, true]);
    });
  });

  describe('cooperating units', () => {
    it('blocks approval while an opinion is outstanding; the submitted one counts', async () => {
      const item = await c.secretary.ok(
        c.secretary.post(
          '/api/tasks',
          itemBody(c, { cooperatingUnitIds: [c.units[COOP]], opinionDueDate: '2026-12-15', assign: true }),
        ),
        201,
      );
      expect(item.opinions).toEqual([
        expect.objectContaining({ unitId: c.units[COOP], dueDate: '2026-12-15', submittedAt: null }),
      ]);
      // The cooperating unit sees the item but does not lead it.
      expect((await bank.get(`/api/tasks/${item.id}`)).status).toBe(200);
      expect((await bank.post(`/api/tasks/${item.id}/accept`)).status).toBe(403);
      await walk(c, item.id, ['accept', 'start', 'draft_reply', 'sign_reply', 'review_reply']);
      const blocked = await c.leader.post(`/api/tasks/${item.id}/reply/approve`, {});
      expect([blocked.status, blocked.body.code]).toEqual([409, 'CONFLICT']);
      expect(blocked.body.message).toContain(c.units[COOP]);

      const sent = await bank.ok(
        bank.post(`/api/tasks/${item.id}/opinions`, { body: '同意提供知识产权质押贷款。' }),
      );
      expect(sent.opinions[0]).toMatchObject({
        body: '同意提供知识产权质押贷款。',
        submittedAt: expect.any(String),
      });
      expect((await bank.post(`/api/tasks/${item.id}/opinions`, { body: 'again' })).status).toBe(409);
      expect((await c.handler.post(`/api/tasks/${item.id}/opinions`, { body: 'x' })).status).toBe(403);
      expect((await c.leader.ok(c.leader.post(`/api/tasks/${item.id}/reply/approve`, {}))).state).toBe(
        'reply_approved',
      );
    });

    it('the secretariat may waive an outstanding opinion (recorded with its reason)', async () => {
      const item = await c.secretary.ok(
        c.secretary.post('/api/tasks', itemBody(c, { cooperatingUnitIds: [c.units[COOP]], assign: true })),
        201,
      );
      await walk(c, item.id, ['accept', 'start', 'draft_reply', 'sign_reply', 'review_reply']);
      expect((await c.leader.post(`/api/tasks/${item.id}/reply/approve`, {})).status).toBe(409);
      expect(
        (await c.handler.post(`/api/tasks/${item.id}/opinions/${c.units[COOP]}/waive`, { reason: 'x' }))
          .status,
      ).toBe(403);
      const waived = await c.secretary.ok(
        c.secretary.post(`/api/tasks/${item.id}/opinions/${c.units[COOP]}/waive`, {
          reason: '已电话会商一致',
        }),
      );
      expect(waived.opinions[0]).toMatchObject({
        waiveReason: '已电话会商一致',
        waivedAt: expect.any(String),
      });
      expect((await c.leader.ok(c.leader.post(`/api/tasks/${item.id}/reply/approve`, {}))).state).toBe(
        'reply_approved',
      );
      const audit = await db.query(
        `SELECT actor_role, after FROM audit_log WHERE entity_id = $1 AND action = 'task.opinion_waived'`,
        [item.id],
      );
      expect(audit.rows).toEqual([
        { actor_role: 'secretariat', after: { unitId: c.units[COOP], reason: '已电话会商一致' } },
      ]);
    });
  });

  describe('progress reports', () => {
    it('the lead unit reports text, percentage and links; others may not; bad values are refused', async () => {
      const item = await c.secretary.ok(
        c.secretary.post('/api/tasks', itemBody(c, { cooperatingUnitIds: [c.units[COOP]], assign: true })),
        201,
      );
      const early = await c.handler.post(`/api/tasks/${item.id}/progress`, { text: 'x', percent: 10 });
      expect(early.body.code).toBe('INVALID_TRANSITION');
      await walk(c, item.id, ['accept']);
      const v = await c.handler.ok(
        c.handler.post(`/api/tasks/${item.id}/progress`, {
          text: '银行已受理',
          percent: 30,
          attachments: ['https://files.example.gov.cn/a.pdf'],
        }),
      );
      expect(v.progress).toEqual([
        expect.objectContaining({
          text: '银行已受理',
          percent: 30,
          attachments: ['https://files.example.gov.cn/a.pdf'],
        }),
      ]);
      for (const bad of [
        { text: 'x', percent: 101 },
        { text: 'x', percent: -1 },
        { text: 'x', percent: 5, attachments: ['not a url'] },
      ]) {
        expect((await c.handler.post(`/api/tasks/${item.id}/progress`, bad)).status).toBe(400);
      }
      expect((await bank.post(`/api/tasks/${item.id}/progress`, { text: 'x', percent: 5 })).status).toBe(403);
    });
  });

  describe('evaluation and second handling', () => {
    it('unsatisfied reopens, the item waits for a new deadline, the second round is counted', async () => {
      const inputId = await c.input();
      const item = await c.secretary.ok(
        c.secretary.post('/api/tasks', itemBody(c, { inputIds: [inputId], assign: true })),
        201,
      );
      await walk(c, item.id, [...TO_REPLIED]);
      const reopened = await c.member.ok(
        c.member.post(`/api/tasks/${item.id}/evaluation`, { rating: 'unsatisfied', comment: '贷款额度不足' }),
      );
      expect(reopened).toMatchObject({
        state: 'reopened',
        reopenCount: 1,
        deadlinePending: true,
        light: null,
      });
      const waiting = await c.handler.post(`/api/tasks/${item.id}/start`);
      expect([waiting.status, waiting.body.code]).toEqual([409, 'INVALID_TRANSITION']);

      const set = await c.secretary.ok(
        c.secretary.post(`/api/tasks/${item.id}/deadline`, { deadline: '2027-02-28', reason: '二次办理' }),
      );
      expect(set).toMatchObject({ deadline: '2027-02-28', deadlinePending: false });
      expect(set.deadlineChanges).toEqual([
        expect.objectContaining({
          kind: 'set',
          previousDeadline: '2026-12-31',
          requestedDeadline: '2027-02-28',
          status: 'approved',
        }),
      ]);
      await walk(c, item.id, [
        'start',
        'draft_reply',
        'sign_reply',
        'review_reply',
        'approve_reply',
        'send_reply',
      ]);
      const done = await c.member.ok(
        c.member.post(`/api/tasks/${item.id}/evaluation`, { rating: 'satisfied' }),
      );
      expect(done.state).toBe('evaluated');
      // Both rounds are kept: first-time satisfaction stays derivable.
      expect(done.evaluations.map((e: { round: number; rating: string }) => [e.round, e.rating])).toEqual([
        [1, 'unsatisfied'],
        [2, 'satisfied'],
      ]);
      expect(done.replies.map((r: { round: number }) => r.round)).toEqual([1, 2]);
      const notices = await db.query(
        `SELECT count(*)::int AS n FROM notification WHERE topic = 'task.reopened' AND dedupe_key LIKE $1`,
        [`task.reopened:${item.id}:%`],
      );
      expect(notices.rows[0].n).toBeGreaterThanOrEqual(2); // the unit and the supervisor
    });

    it('the secretariat may reopen with a new deadline at once', async () => {
      const item = await c.secretary.ok(
        c.secretary.post('/api/tasks', itemBody(c, { meetingId: c.meetingId, assign: true })),
        201,
      );
      await walk(c, item.id, [...TO_REPLIED, 'close']);
      const v = await c.secretary.ok(
        c.secretary.post(`/api/tasks/${item.id}/reopen`, {
          reason: '群众反映问题复发',
          deadline: '2027-01-31',
        }),
      );
      expect(v).toMatchObject({
        state: 'reopened',
        deadline: '2027-01-31',
        deadlinePending: false,
        reopenCount: 1,
        closedAt: null,
      });
      expect((await c.handler.ok(c.handler.post(`/api/tasks/${item.id}/start`))).state).toBe('in_progress');
    });
  });

  describe('deadline extension', () => {
    it('requested by the unit, decided by the secretariat, with the history kept', async () => {
      const item = await c.secretary.ok(c.secretary.post('/api/tasks', itemBody(c, { assign: true })), 201);
      await walk(c, item.id, ['accept', 'start']);
      const earlier = await c.handler.post(`/api/tasks/${item.id}/extensions`, {
        deadline: '2026-12-01',
        reason: 'x',
      });
      expect(earlier.status).toBe(400);
      let v = await c.handler.ok(
        c.handler.post(`/api/tasks/${item.id}/extensions`, {
          deadline: '2027-03-31',
          reason: '项目需省级审批',
        }),
      );
      const first = v.deadlineChanges[0];
      expect(first).toMatchObject({ kind: 'extension', status: 'pending', requestedDeadline: '2027-03-31' });
      const second = await c.handler.post(`/api/tasks/${item.id}/extensions`, {
        deadline: '2027-04-30',
        reason: 'x',
      });
      expect([second.status, second.body.code]).toEqual([409, 'CONFLICT']);
      expect(
        (await c.handler.post(`/api/tasks/${item.id}/extensions/${first.id}/decision`, { approve: true }))
          .status,
      ).toBe(403);

      v = await c.secretary.ok(
        c.secretary.post(`/api/tasks/${item.id}/extensions/${first.id}/decision`, {
          approve: false,
          comment: '时限不宜过长',
        }),
      );
      expect(v.deadline).toBe('2026-12-31');
      v = await c.handler.ok(
        c.handler.post(`/api/tasks/${item.id}/extensions`, {
          deadline: '2027-01-31',
          reason: '等待省厅批复',
        }),
      );
      const again = v.deadlineChanges[1];
      v = await c.secretary.ok(
        c.secretary.post(`/api/tasks/${item.id}/extensions/${again.id}/decision`, { approve: true }),
      );
      expect(v.deadline).toBe('2027-01-31');
      expect(
        v.deadlineChanges.map((d: { status: string; requestedDeadline: string }) => [
          d.status,
          d.requestedDeadline,
        ]),
      ).toEqual([
        ['rejected', '2027-03-31'],
        ['approved', '2027-01-31'],
      ]);
      const decided = await c.secretary.post(`/api/tasks/${item.id}/extensions/${again.id}/decision`, {
        approve: true,
      });
      expect(decided.status).toBe(409);
    });
  });

  describe('publication and visibility', () => {
    it('a reply marked public is published without personal data or anonymous identities', async () => {
      const inputId = await c.input(c.citizen, true);
      const item = await c.secretary.ok(
        c.secretary.post(
          '/api/tasks',
          itemBody(c, { inputIds: [inputId], responsiblePerson: '张主任', assign: true }),
        ),
        201,
      );
      await walk(c, item.id, [
        'accept',
        'start',
        'draft_reply',
        'sign_reply',
        'review_reply',
        'approve_reply',
      ]);
      const sent = await c.secretary.ok(
        c.secretary.post(`/api/tasks/${item.id}/reply/send`, { public: true }),
      );
      expect(sent.publishedAt).toEqual(expect.any(String));
      const pub = (await new Api(t.baseUrl).ok(new Api(t.baseUrl).get('/api/public/tasks?limit=200'))).items;
      const row = pub.find((p: { id: string }) => p.id === item.id);
      expect(row).toMatchObject({
        leadUnit: '县金融服务中心',
        reply: '已办理：贷款获批。',
        state: 'replied',
      });
      const text = JSON.stringify(pub);
      expect(text).not.toContain('张主任');
      expect(text).not.toContain('participant');
      expect(text).not.toContain('proposers');
      const notice = await db.query(
        `SELECT recipient_type FROM notification WHERE topic = 'task.replied' AND dedupe_key LIKE $1`,
        [`task.replied:${sent.replies[0].id}:%`],
      );
      expect(notice.rows).toEqual([{ recipient_type: 'participant' }]);
    });

    it('a unit sees its own and co-operated items; attendees see items from their own inputs', async () => {
      const mine = await c.input(c.member);
      const lead = await c.secretary.ok(
        c.secretary.post('/api/tasks', itemBody(c, { inputIds: [mine] })),
        201,
      );
      const coop = await c.secretary.ok(
        c.secretary.post(
          '/api/tasks',
          itemBody(c, { leadUnitId: c.units['县发展和改革局'], cooperatingUnitIds: [c.units[COOP]] }),
        ),
        201,
      );
      const handlerIds = (await c.handler.ok(c.handler.get('/api/tasks'))).map((i: { id: string }) => i.id);
      expect(handlerIds).toContain(lead.id);
      expect(handlerIds).not.toContain(coop.id);
      const bankIds = (await bank.ok(bank.get('/api/tasks'))).map((i: { id: string }) => i.id);
      expect(bankIds).toContain(coop.id);
      expect(bankIds).not.toContain(lead.id);
      const memberIds = (await c.member.ok(c.member.get('/api/tasks'))).map((i: { id: string }) => i.id);
      expect(memberIds).toContain(lead.id);
      expect(memberIds).not.toContain(coop.id);
      expect((await c.citizen.get(`/api/tasks/${lead.id}`)).status).toBe(404);
      expect((await c.handler.get(`/api/tasks/${coop.id}`)).status).toBe(404);
      expect((await c.member.post(`/api/tasks/${lead.id}/assign`, {})).status).toBe(403);
      expect((await c.handler.post(`/api/tasks/${lead.id}/assign`, {})).status).toBe(403);
    });
  });
});
