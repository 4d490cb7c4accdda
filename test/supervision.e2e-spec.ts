/* 督办 with a controllable clock: reminders and overdue lights from the working-day calendar,
 * re-inspection after close-out (held / relapsed), the durable job runner (once across two
 * nodes, retries), the dashboard, and the audit log as the app's own connection sees it. */
import { createApp } from '../apps/api/src/bootstrap';
import type { INestApplication } from '@nestjs/common';
import { SupervisionService } from '@liexi/handling';
import { Clock, Db, JobRunner, loadConfig } from '@liexi/platform';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from './support/app';
import { type Cast, cast, itemBody, LEAD, walk, TO_REPLIED } from './support/tasks';

/** 09:00 in Shanghai on `day`. */
const at = (day: string, time = '09:00'): Date => new Date(`${day}T${time}:00+08:00`);

describe('supervision', () => {
  let t: TestApp;
  let c: Cast;
  let clock: Clock;
  let runner: JobRunner;
  let supervision: SupervisionService;
  let db: Client;

  beforeAll(async () => {
    t = await startTestApp({ JOBS_ENABLED: 'false', REMINDER_WORKING_DAYS: '3', YELLOW_WORKING_DAYS: '3' });
    c = await cast(t.baseUrl);
    clock = t.app.get(Clock);
    runner = t.app.get(JobRunner);
    supervision = t.app.get(SupervisionService);
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    clock?.set(null);
    for (const s of c?.sockets ?? []) s.close();
    await db?.end();
    await t.close();
  });

  async function tick(now: Date): Promise<{ done: number; failed: number }> {
    clock.set(now);
    await supervision.ensureScan(now);
    return runner.runDue(now);
  }

  const noticesFor = async (
    taskId: string,
    topic: string,
  ): Promise<{ recipient_type: string; text_zh: string; text_en: string }[]> =>
    (
      await db.query(
        `SELECT recipient_type, text_zh, text_en FROM notification WHERE topic = $1 AND dedupe_key LIKE $2 ORDER BY recipient_type`,
        [topic, `${topic}:${taskId}:%`],
      )
    ).rows;

  it('reminds N working days before the deadline, flags red when overdue, once each', async () => {
    // Deadline Friday 2026-12-04. A holiday on Wednesday 12-02 (configurable calendar).
    await c.secretary.ok(
      c.secretary.post('/api/calendar', { day: '2026-12-02', kind: 'holiday', name: '演示假日' }),
    );
    clock.set(at('2026-11-20'));
    const item = await c.secretary.ok(
      c.secretary.post(
        '/api/tasks',
        itemBody(c, { deadline: '2026-12-04', problem: '提醒测试事项', assign: true }),
      ),
      201,
    );
    expect(item.light).toBe('green');

    // Monday 11-30: 12-01, 12-03, 12-04 left (12-02 is a holiday) → 3 working days: reminder, yellow.
    await tick(at('2026-11-27'));
    expect(await noticesFor(item.id, 'task.reminder')).toEqual([]);
    await tick(at('2026-11-30'));
    const reminders = await noticesFor(item.id, 'task.reminder');
    expect(reminders.map((r) => r.recipient_type)).toEqual(['account', 'unit']); // supervisor + lead unit
    expect(reminders[0]?.text_zh).toContain('还剩 3 个工作日');
    expect(reminders[0]?.text_en).toContain('3 working day(s) left');
    expect((await c.secretary.ok(c.secretary.get(`/api/tasks/${item.id}`))).light).toBe('yellow');

    // Again the same day, and a manual extra scan: nothing is sent twice.
    await tick(at('2026-11-30', '15:00'));
    await runner.schedule({ name: 'supervision.scan', runAt: at('2026-12-01'), key: 'manual-scan' });
    await tick(at('2026-12-01'));
    expect(await noticesFor(item.id, 'task.reminder')).toHaveLength(2);

    // Saturday 12-05: overdue → red, the unit and the supervision office are told.
    await tick(at('2026-12-05'));
    const overdue = await noticesFor(item.id, 'task.overdue');
    expect(overdue.map((r) => r.recipient_type)).toEqual(['account', 'unit']);
    expect(overdue[0]?.text_zh).toContain('红灯');
    expect((await c.secretary.ok(c.secretary.get(`/api/tasks/${item.id}`))).light).toBe('red');
    await tick(at('2026-12-07'));
    expect(await noticesFor(item.id, 'task.overdue')).toHaveLength(2);

    const dash = await c.supervisor.ok(c.supervisor.get('/api/supervision/dashboard'));
    expect(dash.today).toBe('2026-12-07');
    expect(dash.overdue).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: item.id, workingDaysOverdue: 1 })]),
    );
    const unit = dash.units.find((u: { unitName: string }) => u.unitName === LEAD);
    expect(unit.red).toBeGreaterThanOrEqual(1);
    expect(dash.lights.red).toBeGreaterThanOrEqual(1);
    expect((await c.handler.get('/api/supervision/dashboard')).status).toBe(403);
    expect(dash.overdueOpinions).toEqual([]);

    // An approved extension moves the deadline: a new reminder cycle for the new deadline.
    const req = await c.handler.ok(
      c.handler.post(`/api/tasks/${item.id}/extensions`, { deadline: '2026-12-10', reason: '等待批复' }),
      201,
    );
    await c.secretary.ok(
      c.secretary.post(`/api/tasks/${item.id}/extensions/${req.deadlineChanges[0].id}/decision`, {
        approve: true,
      }),
    );
    await tick(at('2026-12-08'));
    expect(await noticesFor(item.id, 'task.reminder')).toHaveLength(4);
  });

  it('lists cooperating opinions past their due date on the dashboard', async () => {
    clock.set(at('2026-12-20'));
    const item = await c.secretary.ok(
      c.secretary.post(
        '/api/tasks',
        itemBody(c, {
          cooperatingUnitIds: [c.units['县农村商业银行']],
          opinionDueDate: '2026-12-18',
          deadline: '2027-01-29',
          assign: true,
        }),
      ),
      201,
    );
    let dash = await c.supervisor.ok(c.supervisor.get('/api/supervision/dashboard'));
    expect(dash.overdueOpinions).toEqual([
      { taskId: item.id, unitId: c.units['县农村商业银行'], dueDate: '2026-12-18' },
    ]);
    await c.secretary.ok(
      c.secretary.post(`/api/tasks/${item.id}/opinions/${c.units['县农村商业银行']}/waive`, {
        reason: '会上已表态',
      }),
    );
    dash = await c.supervisor.ok(c.supervisor.get('/api/supervision/dashboard'));
    expect(dash.overdueOpinions).toEqual([]);
  });

  it('counts make-up workdays (调休) and holidays in the light', async () => {
    clock.set(at('2026-12-10'));
    const item = await c.secretary.ok(
      c.secretary.post('/api/tasks', itemBody(c, { deadline: '2026-12-18', assign: true })),
      201,
    );
    // Thu 12-10 → Fri 12-18: 12-11, 14, 15, 16, 17, 18 = 6 working days → green.
    expect((await c.secretary.ok(c.secretary.get(`/api/tasks/${item.id}`))).light).toBe('green');
    for (const day of ['2026-12-11', '2026-12-14', '2026-12-15']) {
      await c.secretary.ok(c.secretary.post('/api/calendar', { day, kind: 'holiday' }));
    }
    expect((await c.secretary.ok(c.secretary.get(`/api/tasks/${item.id}`))).light).toBe('yellow');
    await c.secretary.ok(
      c.secretary.post('/api/calendar', { day: '2026-12-13', kind: 'workday', name: '调休' }),
    );
    expect((await c.secretary.ok(c.secretary.get(`/api/tasks/${item.id}`))).light).toBe('green');
    const year = await c.handler.all('/api/calendar?year=2026');
    expect(year.map((d: { day: string; kind: string }) => `${d.day}:${d.kind}`)).toEqual(
      expect.arrayContaining(['2026-12-13:workday', '2026-12-14:holiday']),
    );
    expect((await c.handler.post('/api/calendar', { day: '2026-12-31', kind: 'holiday' })).status).toBe(403);
  });

  it('schedules the re-inspection after close-out; held keeps it closed, relapsed reopens it', async () => {
    const closeAt = at('2027-01-04');
    clock.set(closeAt);
    // A deadline after the clock's today: a past one is refused since issue 9.
    const due = { meetingId: c.meetingId, assign: true, deadline: '2027-01-29' };
    const held = await c.secretary.ok(c.secretary.post('/api/tasks', itemBody(c, due)), 201);
    const relapsed = await c.secretary.ok(c.secretary.post('/api/tasks', itemBody(c, due)), 201);
    const path = [...TO_REPLIED, 'close'];
    for (const id of [held.id, relapsed.id]) await walk(c, id, path);
    const closed = await c.secretary.ok(c.secretary.get(`/api/tasks/${held.id}`));
    // REINSPECTION_DAYS defaults to 30.
    expect(closed.reinspections).toEqual([
      {
        round: 1,
        dueAt: new Date(closeAt.getTime() + 30 * 86_400_000).toISOString(),
        outcome: null,
        note: null,
      },
    ]);

    await tick(new Date(closeAt.getTime() + 29 * 86_400_000));
    expect(await noticesFor(held.id, 'task.reinspection_due')).toEqual([]);
    await tick(new Date(closeAt.getTime() + 30 * 86_400_000 + 60_000));
    expect((await noticesFor(held.id, 'task.reinspection_due')).length).toBeGreaterThanOrEqual(2);
    const dash = await c.supervisor.ok(c.supervisor.get('/api/supervision/dashboard'));
    expect(dash.dueReinspections).toBeGreaterThanOrEqual(2);

    const h = await c.supervisor.ok(
      c.supervisor.post(`/api/tasks/${held.id}/reinspection`, { outcome: 'held', note: '整改成效巩固' }),
    );
    expect(h).toMatchObject({
      state: 'closed',
      reinspections: [expect.objectContaining({ outcome: 'held' })],
    });
    const twice = await c.supervisor.post(`/api/tasks/${held.id}/reinspection`, { outcome: 'relapsed' });
    expect([twice.status, twice.body.code]).toEqual([409, 'CONFLICT']);

    const r = await c.supervisor.ok(
      c.supervisor.post(`/api/tasks/${relapsed.id}/reinspection`, {
        outcome: 'relapsed',
        note: '地锁又被装回',
      }),
    );
    expect(r).toMatchObject({ state: 'reopened', reopenCount: 1, deadlinePending: true, closedAt: null });
    expect((await c.handler.post(`/api/tasks/${relapsed.id}/reinspection`, { outcome: 'held' })).status).toBe(
      403,
    );
    // Second handling, closed again → a new re-inspection round.
    await c.secretary.ok(
      c.secretary.post(`/api/tasks/${relapsed.id}/deadline`, {
        deadline: '2027-03-31',
        reason: '回头看反弹',
      }),
    );
    await walk(c, relapsed.id, [
      'start',
      'draft_reply',
      'sign_reply',
      'review_reply',
      'approve_reply',
      'send_reply',
      'close',
    ]);
    const again = await c.secretary.ok(c.secretary.get(`/api/tasks/${relapsed.id}`));
    expect(
      again.reinspections.map((x: { round: number; outcome: string | null }) => [x.round, x.outcome]),
    ).toEqual([
      [1, 'relapsed'],
      [2, null],
    ]);
  });

  it('runs each job once across two api nodes sharing the database', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
      SEED_DEMO: 'true',
      JOBS_ENABLED: 'false',
    });
    const second: INestApplication = await createApp(config, t.databaseUrl, { logger: false });
    try {
      const runners = [runner, second.get(JobRunner)];
      const dbs = [t.app.get(Db), second.get(Db)];
      const seen: string[] = [];
      for (const [n, r] of runners.entries()) {
        r.register('test.count', async (payload) => {
          await dbs[n]?.query('SELECT pg_sleep(0.005)');
          seen.push(`${String(payload.i)}@${n}`);
        });
      }
      const now = new Date('2030-01-01T00:00:00Z');
      for (let i = 0; i < 40; i++)
        await runner.schedule({ name: 'test.count', runAt: now, key: `count:${i}`, payload: { i } });
      const [a, b] = await Promise.all(runners.map((r) => r.runDue(now)));
      const ids = seen.map((s) => s.split('@')[0]);
      expect(new Set(ids).size).toBe(40);
      expect(ids).toHaveLength(40);
      expect((a?.done ?? 0) + (b?.done ?? 0)).toBeGreaterThanOrEqual(40);
      const left = await db.query(
        `SELECT count(*)::int AS n FROM job WHERE name = 'test.count' AND status <> 'done'`,
      );
      expect(left.rows[0].n).toBe(0);
    } finally {
      await second.close();
    }
  });

  it('retries a failing job with back-off and rolls back its partial work', async () => {
    let calls = 0;
    const unit = t.app.get(Db);
    runner.register('test.flaky', async () => {
      calls++;
      await unit.query(
        `INSERT INTO work_calendar_day (day, kind, name) VALUES ('2031-01-0${calls}', 'holiday', 'flaky')`,
      );
      if (calls === 1) throw new Error('gateway down');
    });
    const now = new Date('2031-01-01T00:00:00Z');
    await runner.schedule({ name: 'test.flaky', runAt: now, key: 'flaky' });
    expect(await runner.runDue(now)).toMatchObject({ failed: 1 });
    let job = (await db.query(`SELECT status, attempts, last_error, run_at FROM job WHERE key = 'flaky'`))
      .rows[0];
    expect(job).toMatchObject({ status: 'pending', attempts: 1, last_error: 'gateway down' });
    expect(new Date(job.run_at).getTime()).toBeGreaterThan(now.getTime());
    expect((await db.query(`SELECT day FROM work_calendar_day WHERE name = 'flaky'`)).rows).toHaveLength(0);
    await runner.runDue(new Date(now.getTime() + 120_000));
    job = (await db.query(`SELECT status, attempts FROM job WHERE key = 'flaky'`)).rows[0];
    expect(job).toMatchObject({ status: 'done', attempts: 2 });
    expect((await db.query(`SELECT day FROM work_calendar_day WHERE name = 'flaky'`)).rows).toHaveLength(1);
  });

  describe('audit', () => {
    it('every change wrote who, what, before and after', async () => {
      clock.set(null);
      const item = await c.secretary.ok(c.secretary.post('/api/tasks', itemBody(c, { assign: true })), 201);
      await walk(c, item.id, ['accept']);
      await c.handler.ok(
        c.handler.post(`/api/tasks/${item.id}/extensions`, {
          deadline: '2027-06-30',
          reason: '需要更多时间',
        }),
        201,
      );
      const rows = await db.query(
        `SELECT actor_role, action, before, after FROM audit_log WHERE entity_id = $1 ORDER BY at, action`,
        [item.id],
      );
      expect(rows.rows).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            actor_role: 'unit_handler',
            action: 'task.accept',
            before: { state: 'assigned' },
            after: { state: 'accepted' },
          }),
          expect.objectContaining({
            actor_role: 'unit_handler',
            action: 'task.extension_requested',
            before: { deadline: '2026-12-31' },
            after: { deadline: '2027-06-30', reason: '需要更多时间' },
          }),
        ]),
      );
    });

    it('the app’s own database connection cannot update or delete audit rows', async () => {
      const ds = t.app.get(DataSource);
      const [{ n }] = await ds.query<{ n: number }[]>('SELECT count(*)::int AS n FROM audit_log');
      expect(n).toBeGreaterThan(0);
      await expect(ds.query(`UPDATE audit_log SET action = 'forged'`)).rejects.toThrow('append-only');
      await expect(ds.query('DELETE FROM audit_log')).rejects.toThrow('append-only');
      await expect(ds.query('TRUNCATE audit_log')).rejects.toThrow('append-only');
      const [{ n: after }] = await ds.query<{ n: number }[]>('SELECT count(*)::int AS n FROM audit_log');
      expect(after).toBeGreaterThanOrEqual(n);
      const forged = await ds.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'forged'`,
      );
      expect(forged[0]?.n).toBe(0);
    });
  });
});
