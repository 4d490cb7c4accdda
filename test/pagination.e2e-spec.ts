/*
 * One pagination convention on every list: `?limit=&cursor=`, `{items, nextCursor}`, keyset
 * order. Walking a list a page at a time gives exactly the whole list (no item twice, none
 * missing, in the same order), the last page has no cursor, and limits and cursors are checked.
 */
import { Api, startTestApp, type TestApp } from './support/app';
import { cast, type Cast, itemBody } from './support/tasks';

describe('pagination', () => {
  let t: TestApp;
  let c: Cast;
  let lists: { who: Api; path: string }[];

  beforeAll(async () => {
    t = await startTestApp();
    c = await cast(t.baseUrl);
    const sec = c.secretary;
    // Enough of everything for pages of 2 to matter.
    for (let i = 0; i < 5; i++) {
      const input = await c.input(c.member);
      const item = await sec.ok(
        sec.post('/api/tasks', itemBody(c, { meetingId: c.meetingId, inputIds: [input] })),
        201,
      );
      // Three assigned, two drafts: the ledger's pages cross from one to the other.
      if (i < 3) await sec.ok(sec.post(`/api/tasks/${item.id}/assign`, {}));
      await sec.ok(sec.post('/api/calendar', { day: `2026-10-0${i + 1}`, kind: 'holiday', name: '国庆节' }));
      await sec.ok(
        sec.post('/api/invitation-policies', {
          name: `规则${i}`,
          category: 'key_work',
          quotas: [{ constituency: 'deputy', count: 1 }],
        }),
        201,
      );
      await sec.ok(
        sec.post(`/api/units/${c.units['县金融服务中心']}/handlers`, {
          username: `extra-${i}`,
          password: 'pass1234',
          displayName: `经办人${i}`,
        }),
        201,
      );
    }
    const unit = c.units['县金融服务中心'];
    lists = [
      { who: sec, path: '/api/units' },
      { who: sec, path: '/api/participants' },
      { who: sec, path: `/api/units/${unit}/handlers` },
      { who: sec, path: '/api/meetings' },
      { who: sec, path: `/api/meetings/${c.meetingId}/invitations` },
      { who: c.member, path: '/api/invitations/mine' },
      { who: sec, path: `/api/meetings/${c.meetingId}/inputs` },
      { who: sec, path: '/api/agenda-taxonomy' },
      { who: sec, path: '/api/invitation-policies' },
      { who: sec, path: '/api/calendar' },
      { who: sec, path: '/api/tasks' },
      { who: c.handler, path: '/api/tasks' },
      { who: c.member, path: '/api/tasks' },
      { who: sec, path: `/api/tasks?meetingId=${c.meetingId}&state=draft` },
      { who: sec, path: `/api/meetings/${c.meetingId}/task-list` },
      { who: sec, path: '/api/ledger' },
      { who: sec, path: `/api/ledger?meetingId=${c.meetingId}` },
      { who: sec, path: '/api/figures/assigned/items?part=denominator' },
      { who: sec, path: '/api/figures/inputs_by_disposition/items?part=denominator' },
      { who: sec, path: '/api/figures/person_times/items?part=denominator' },
      { who: c.member, path: '/api/notifications' },
    ];
  });
  afterAll(async () => {
    for (const s of c.sockets) s.close();
    await t.close();
  });

  const idOf = (x: any): string => x.id ?? x.taskId ?? x.inputId ?? x.accountId ?? x.invitationId ?? x.day;

  it('walks every list a page at a time and gets exactly the whole list, in order', async () => {
    for (const { who, path } of lists) {
      const whole = await who.ok<{ items: any[]; nextCursor: string | null }>(
        who.get(`${path}${path.includes('?') ? '&' : '?'}limit=200`),
      );
      expect(whole.nextCursor).toBeNull();
      expect(whole.items.length).toBeGreaterThan(0);
      const paged = await who.all(path, 2);
      expect([path, paged.map(idOf)]).toEqual([path, whole.items.map(idOf)]);
      expect(new Set(paged.map(idOf)).size).toBe(paged.length);
    }
    const tasks = await c.secretary.all('/api/tasks', 2);
    expect(tasks.length).toBeGreaterThanOrEqual(5);
    // The ledger's pages cross from assigned items (by assignment) into drafts (by id).
    const ledger = await c.secretary.all<{ assignedAt: string | null }>('/api/ledger', 2);
    const firstDraft = ledger.findIndex((r) => r.assignedAt === null);
    expect(firstDraft).toBe(3);
    expect(ledger.slice(firstDraft).every((r) => r.assignedAt === null)).toBe(true);
  });

  it('answers at most the default page size, and refuses limits outside 1..200', async () => {
    const page = await c.secretary.ok(c.secretary.get('/api/units?limit=1'));
    expect(page.items).toHaveLength(1);
    expect(typeof page.nextCursor).toBe('string');
    for (const limit of ['0', '201', '-1', '1.5', 'ten'])
      expect((await c.secretary.get<any>(`/api/units?limit=${limit}`)).body.code).toBe('VALIDATION');
  });

  it('refuses a cursor it did not give out, or one of another list, with 400', async () => {
    const cursor = (await c.secretary.ok(c.secretary.get('/api/units?limit=1'))).nextCursor as string;
    for (const [path, bad] of [
      ['/api/units', 'not+a+cursor'],
      ['/api/units', Buffer.from('{"x":1}').toString('base64url')],
      ['/api/units', Buffer.from('["a"]').toString('base64url')],
      // A units cursor (a name) handed to the task list (a timestamp): the value cannot be read back.
      ['/api/tasks', cursor],
      ['/api/calendar', cursor],
    ] as const) {
      const res = await c.secretary.get<any>(`${path}?cursor=${bad}`);
      expect([path, res.status, res.body.code]).toEqual([path, 400, 'VALIDATION']);
    }
  });

  it('keeps a page stable while items are added after it (keyset, not offset)', async () => {
    const first = await c.secretary.ok(c.secretary.get('/api/tasks?limit=2'));
    await c.secretary.ok(c.secretary.post('/api/tasks', itemBody(c)), 201);
    const second = await c.secretary.ok(c.secretary.get(`/api/tasks?limit=2&cursor=${first.nextCursor}`));
    const ids = [...first.items, ...second.items].map(idOf);
    expect(new Set(ids).size).toBe(4);
  });
});
