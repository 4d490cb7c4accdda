/* Agenda: configurable taxonomy, item edits, atomic reorder, link attachments, and the rule that
 * cancelled or closed meetings cannot be edited. Plus races: a check-in code redeemed twice at
 * once, and two overlapping meetings generated at once. */
import { Client } from 'pg';
import { Api, startTestApp, type TestApp } from './support/app';

describe('agenda and races', () => {
  let t: TestApp;
  let db: Client;
  let sec: Api;
  let meetingId: string;
  let items: any[];

  beforeAll(async () => {
    t = await startTestApp();
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    sec = await Api.login(t.baseUrl, 'secretary');
    const m = await sec.ok(
      sec.post('/api/meetings', {
        kind: 'planning_review',
        title: '规划评审会',
        startsAt: '2034-05-01T01:00:00Z',
        endsAt: '2034-05-01T03:00:00Z',
        agenda: [
          { title: '一', category: 'key_work', topics: ['industry'] },
          { title: '二', category: 'major_matter' },
          { title: '三', category: 'important_document' },
        ],
      }),
      201,
    );
    meetingId = m.id;
    items = m.agenda;
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  const titles = async (): Promise<string[]> =>
    (await sec.ok(sec.get(`/api/meetings/${meetingId}`))).agenda.map((a: any) => `${a.position}${a.title}`);

  it('lists the seeded taxonomy with zh/en labels and accepts new terms', async () => {
    const terms = await sec.all('/api/agenda-taxonomy');
    expect(terms.filter((x: any) => x.kind === 'category').map((x: any) => x.code)).toEqual([
      'important_document',
      'key_work',
      'major_matter',
    ]);
    expect(terms.find((x: any) => x.code === 'livelihood')).toMatchObject({ kind: 'topic', labelZh: '民生' });
    const unknown = await sec.post<any>(`/api/meetings/${meetingId}/agenda`, {
      title: '乡村',
      category: 'key_work',
      topics: ['rural_revitalization'],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.fields).toHaveProperty('topics');
    await sec.ok(
      sec.post('/api/agenda-taxonomy', {
        kind: 'topic',
        code: 'rural_revitalization',
        labelZh: '乡村振兴',
        labelEn: 'Rural revitalization',
      }),
      201,
    );
    const dup = await sec.post('/api/agenda-taxonomy', {
      kind: 'topic',
      code: 'rural_revitalization',
      labelZh: 'x',
      labelEn: 'x',
    });
    expect(dup.status).toBe(409);
    const added = await sec.ok(
      sec.post(`/api/meetings/${meetingId}/agenda`, {
        title: '四',
        category: 'key_work',
        topics: ['rural_revitalization'],
      }),
      201,
    );
    items.push(added);
    expect(await titles()).toEqual(['1一', '2二', '3三', '4四']);
  });

  it('edits an item; an unknown category is VALIDATION', async () => {
    const edited = await sec.ok(
      sec.request<any>('PATCH', `/api/meetings/${meetingId}/agenda/${items[1].id}`, {
        title: '二（修改）',
        topics: ['livelihood'],
        state: 'current',
      }),
    );
    expect(edited).toMatchObject({ title: '二（修改）', topics: ['livelihood'], state: 'current' });
    const bad = await sec.request<any>('PATCH', `/api/meetings/${meetingId}/agenda/${items[1].id}`, {
      category: 'gossip',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION');
  });

  it('reorders all positions at once, and refuses anything but a permutation', async () => {
    const order = [items[3].id, items[0].id, items[2].id, items[1].id];
    const res = await sec.ok(sec.post(`/api/meetings/${meetingId}/agenda/reorder`, { itemIds: order }));
    expect(res.meetingId).toBe(meetingId);
    expect(res.items.map((r: any) => r.id)).toEqual(order);
    expect(await titles()).toEqual(['1四', '2一', '3三', '4二（修改）']);
    for (const itemIds of [order.slice(0, 3), [...order.slice(0, 3), order[0]], [...order, order[0]]]) {
      const bad = await sec.post<any>(`/api/meetings/${meetingId}/agenda/reorder`, { itemIds });
      expect(bad.status).toBe(400);
    }
    expect(await titles()).toEqual(['1四', '2一', '3三', '4二（修改）']);
    await sec.ok(sec.request<any>('DELETE', `/api/meetings/${meetingId}/agenda/${items[0].id}`));
    expect(await titles()).toEqual(['1四', '2三', '3二（修改）']);
  });

  it('attaches links with a title and a valid http(s) URL', async () => {
    const item = items[2];
    const withLink = await sec.ok(
      sec.post(`/api/meetings/${meetingId}/agenda/${item.id}/attachments`, {
        title: '送审稿',
        url: 'https://oa.example.gov.cn/docs/123.pdf',
      }),
      201,
    );
    expect(withLink.attachments).toEqual([
      { id: expect.any(String), title: '送审稿', url: 'https://oa.example.gov.cn/docs/123.pdf' },
    ]);
    for (const url of ['javascript:alert(1)', 'not a url', 'ftp://x.example/a']) {
      const bad = await sec.post<any>(`/api/meetings/${meetingId}/agenda/${item.id}/attachments`, {
        title: 'x',
        url,
      });
      expect(bad.status).toBe(400);
      expect(bad.body.fields).toHaveProperty('url');
    }
    const removed = await sec.ok(
      sec.request<any>(
        'DELETE',
        `/api/meetings/${meetingId}/agenda/${item.id}/attachments/${withLink.attachments[0].id}`,
      ),
    );
    expect(removed.attachments).toEqual([]);
  });

  it('a cancelled meeting cannot be edited in any way', async () => {
    const m = await sec.ok(
      sec.post('/api/meetings', {
        kind: 'symposium',
        title: '座谈',
        startsAt: '2034-06-01T01:00:00Z',
        endsAt: '2034-06-01T02:00:00Z',
        agenda: [{ title: 'a', category: 'key_work' }],
      }),
      201,
    );
    await sec.ok(sec.post(`/api/meetings/${m.id}/cancel`));
    const attempts = [
      sec.request<any>('PATCH', `/api/meetings/${m.id}`, { title: 'b' }),
      sec.request<any>('PATCH', `/api/meetings/${m.id}/agenda/${m.agenda[0].id}`, { title: 'b' }),
      sec.post<any>(`/api/meetings/${m.id}/agenda/reorder`, { itemIds: [m.agenda[0].id] }),
      sec.post<any>(`/api/meetings/${m.id}/agenda`, { title: 'c', category: 'key_work' }),
      sec.post<any>(`/api/meetings/${m.id}/invitations/generate`),
      sec.post<any>(`/api/meetings/${m.id}/open`),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('INVALID_TRANSITION');
    }
  });

  it('a check-in code redeemed twice at once checks in exactly once', async () => {
    const m = await sec.ok(
      sec.post('/api/meetings', {
        kind: 'executive',
        title: '并发签到',
        startsAt: '2034-07-01T01:00:00Z',
        endsAt: '2034-07-01T03:00:00Z',
      }),
      201,
    );
    const p = await sec.ok(sec.post('/api/participants', { name: '并发', constituency: 'media' }), 201);
    const inv = await sec.ok(sec.post(`/api/meetings/${m.id}/invitations`, { participantId: p.id }), 201);
    const code = await sec.ok(sec.post(`/api/invitations/${inv.id}/check-in-code`), 201);
    const anon = new Api(t.baseUrl);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => anon.post<any>('/api/check-in', { payload: code.qrPayload })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
    // No attendee account: checked in, but no session to hand out.
    expect(results.find((r) => r.status === 200)!.body.session).toBeNull();
    const audit = await db.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1 AND action = 'invitation.check_in'`,
      [inv.id],
    );
    expect(audit.rows[0].n).toBe(1);
  });

  it('two overlapping meetings generated at once never share a person', async () => {
    for (let i = 0; i < 4; i++)
      await sec.ok(
        sec.post('/api/participants', { name: `媒体${i}`, constituency: 'media', sector: '报社' }),
        201,
      );
    await sec.ok(
      sec.post('/api/invitation-policies', {
        name: '媒体',
        category: 'important_document',
        topic: 'environment',
        quotas: [{ constituency: 'media', count: 3 }],
      }),
      201,
    );
    const ids: string[] = [];
    for (const h of [1, 2]) {
      const m = await sec.ok(
        sec.post('/api/meetings', {
          kind: 'executive',
          title: `重叠${h}`,
          startsAt: `2034-08-01T0${h}:00:00Z`,
          endsAt: `2034-08-01T0${h + 2}:00:00Z`,
          agenda: [{ title: '环保', category: 'important_document', topics: ['environment'] }],
        }),
        201,
      );
      ids.push(m.id);
    }
    const [a, b] = await Promise.all(
      ids.map((id) => sec.ok(sec.post(`/api/meetings/${id}/invitations/generate`))),
    );
    const pa = new Set(a.created.map((i: any) => i.participantId));
    for (const i of b.created) expect(pa.has(i.participantId)).toBe(false);
    // Five media people (4 + the one above): 3 + 2, one seat short, reported as such.
    expect(a.created.length + b.created.length).toBe(5);
    expect([...a.shortfalls, ...b.shortfalls]).toEqual([
      { policyId: expect.any(String), constituency: 'media', missing: 1 },
    ]);
  });
});
