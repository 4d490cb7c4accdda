/* GET /api/tasks/{id}/history: every transition and edit in order, with who (account and role),
 * the reply reviews with their level, and no identity on an anonymous proposer's own acts;
 * readable with the same rules as the item. */
import { Api, startTestApp, type TestApp } from './support/app';
import { type Cast, cast, itemBody, TO_REPLIED, walk } from './support/tasks';

describe('task history', () => {
  let t: TestApp;
  let c: Cast;

  beforeAll(async () => {
    t = await startTestApp();
    c = await cast(t.baseUrl);
  });
  afterAll(async () => {
    for (const s of c?.sockets ?? []) s.disconnect();
    await t?.close();
  });

  const history = async (id: string): Promise<any[]> => {
    const all: any[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await c.secretary.ok(
        c.secretary.get(
          `/api/tasks/${id}/history?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        ),
      );
      expect(page.items.length).toBeLessThanOrEqual(3);
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  };

  it('lists every step in order, with who and the review level; an anonymous proposer’s acts show no one', async () => {
    const named = await c.input(c.member, false);
    const anonymous = await c.input(c.member, true);
    for (const [inputId, anon] of [
      [named, false],
      [anonymous, true],
    ] as const) {
      const item = await c.secretary.ok(
        c.secretary.post('/api/tasks', itemBody(c, { inputIds: [inputId], assign: true })),
        201,
      );
      await walk(c, item.id, [...TO_REPLIED]);
      await c.member.ok(
        c.member.post(`/api/tasks/${item.id}/evaluation`, { rating: 'satisfied', comment: '满意' }),
      );
      const h = await history(item.id);
      const at = h.map((e) => e.at);
      expect([...at].sort()).toEqual(at);
      const actions = h.map((e) => e.action);
      const steps = [
        'assign',
        'accept',
        'start',
        'draft_reply',
        'sign_reply',
        'review_reply',
        'approve_reply',
        'send_reply',
      ];
      const positions = steps.map((s) => actions.findIndex((a: string) => a === s || a.endsWith(s)));
      expect({ actions, missing: steps.filter((_, i) => positions[i] < 0) }).toEqual({
        actions,
        missing: [],
      });
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      const byAction = (a: string): any => h[actions.findIndex((x: string) => x === a || x.endsWith(a))];
      expect(byAction('sign_reply')).toMatchObject({
        review: { level: 'sign' },
        by: { role: 'unit_handler' },
      });
      expect(byAction('review_reply')).toMatchObject({
        review: { level: 'review' },
        by: { role: 'secretariat' },
      });
      expect(byAction('approve_reply')).toMatchObject({
        review: { level: 'approve' },
        by: { role: 'leader' },
      });
      expect(byAction('accept').by).toMatchObject({ role: 'unit_handler', accountId: expect.any(String) });
      const rated = h.filter((e) => e.action.includes('rat') || e.action.includes('evaluat'));
      expect(rated.length).toBeGreaterThan(0);
      for (const e of rated) {
        if (anon) expect(e.by).toBeNull();
        else expect(e.by).toMatchObject({ role: 'attendee' });
      }
      if (anon) expect(JSON.stringify(h)).not.toContain('王建国');
      // The same rules as the item: a unit that does not handle it sees no history.
      const bank = await Api.login(t.baseUrl, 'bank');
      expect((await bank.get(`/api/tasks/${item.id}/history`)).status).toBe(404);
    }
  });
});
