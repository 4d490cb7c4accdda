/* The supervision dashboard's figures are pushed over socket.io when they change, coalesced:
 * a burst of changes gives one recomputed overview (not one per change), equal to what
 * GET /api/figures says; a unit handler's socket gets none. */
import { FIGURES_PUSH_INTERVAL_MS } from '@liexi/contracts';
import { startTestApp, type TestApp } from './support/app';
import { type Cast, cast, connectSupervision, itemBody } from './support/tasks';

describe('dashboard figures pushed', () => {
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

  it('a burst of five assignments gives a coalesced push with the new figures', async () => {
    const overseer = await connectSupervision(t.baseUrl, c.secretary.token);
    const handler = await connectSupervision(t.baseUrl, c.handler.token);
    c.sockets.push(overseer, handler);
    const pushes: any[] = [];
    const handlerPushes: any[] = [];
    const times: number[] = [];
    overseer.on('figures.updated', (o: unknown) => {
      times.push(Date.now());
      pushes.push(o);
    });
    handler.on('figures.updated', (o: unknown) => handlerPushes.push(o));
    const before = await c.secretary.ok(c.secretary.get('/api/figures'));
    const started = Date.now();
    const assigned = (o: any): number => o.figures.find((f: any) => f.code === 'assigned').total;
    for (let i = 0; i < 5; i++)
      await c.secretary.ok(
        c.secretary.post('/api/tasks', itemBody(c, { assign: true, problem: `推送测试${i}` })),
        201,
      );
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && !(pushes.length > 0 && assigned(pushes.at(-1)) === assigned(before) + 5))
      await new Promise((r) => setTimeout(r, 200));
    expect(assigned(pushes.at(-1))).toBe(assigned(before) + 5);
    // Coalesced: at most one push per FIGURES_PUSH_INTERVAL_MS, however many changes (10 here).
    for (let i = 1; i < times.length; i++)
      expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(FIGURES_PUSH_INTERVAL_MS - 50);
    expect(pushes.length).toBeLessThanOrEqual(
      Math.ceil((times.at(-1)! - started) / FIGURES_PUSH_INTERVAL_MS) + 1,
    );
    expect(pushes.length).toBeLessThan(10);
    const now = await c.secretary.ok(c.secretary.get('/api/figures'));
    expect(pushes.at(-1).figures.map((f: any) => [f.code, f.total])).toEqual(
      now.figures.map((f: any) => [f.code, f.total]),
    );
    expect(handlerPushes).toEqual([]);
  });
});
