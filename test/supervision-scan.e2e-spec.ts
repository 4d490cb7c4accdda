/* The daily supervision scan works in chunks: each chunk is one job and one transaction (so no
 * stream lock is held longer than a chunk), a full chunk schedules the next, the last one
 * schedules tomorrow's scan, and running the scan again sends nothing twice. */
import { HANDLING_STATES } from '@liexi/handling';
import { Clock, JobRunner } from '@liexi/platform';
import { Client } from 'pg';
import { startTestApp, type TestApp } from './support/app';
import { type Cast, cast, itemBody } from './support/tasks';

/** 09:00 (or `time`) in Shanghai on `day`. */
const at = (day: string, time = '09:00'): Date => new Date(`${day}T${time}:00+08:00`);

describe('the chunked supervision scan', () => {
  let t: TestApp;
  let c: Cast;
  let clock: Clock;
  let runner: JobRunner;
  let db: Client;

  beforeAll(async () => {
    t = await startTestApp({ JOBS_ENABLED: 'false', REMINDER_WORKING_DAYS: '3' });
    c = await cast(t.baseUrl);
    clock = t.app.get(Clock);
    runner = t.app.get(JobRunner);
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    clock?.set(null);
    for (const s of c?.sockets ?? []) s.close();
    await db?.end();
    await t.close();
  });

  const reminded = async (): Promise<string[]> =>
    (await db.query(`SELECT task_item_id FROM task_alert WHERE kind = 'reminder' ORDER BY 1`)).rows.map(
      (r) => r.task_item_id as string,
    );
  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    (await db.query(sql, params)).rows[0].n as number;

  it('reminds every item once, one chunk per job, then schedules tomorrow’s scan', async () => {
    clock.set(at('2027-03-01')); // a Monday
    const create = (deadline: string): Promise<{ id: string }> =>
      c.secretary.ok(c.secretary.post('/api/tasks', itemBody(c, { deadline, assign: true })), 201);
    // Five items due on Wednesday (2 working days left → reminder), one due in June (no alert).
    const due: string[] = [];
    for (let i = 0; i < 5; i++) due.push((await create('2027-03-03')).id);
    const far = (await create('2027-06-30')).id;
    const open = (
      await db.query(`SELECT id FROM task_item WHERE state = ANY($1) AND NOT deadline_pending ORDER BY id`, [
        HANDLING_STATES.filter((s) => s !== 'returned'),
      ])
    ).rows.map((r) => r.id as string);
    expect(open).toHaveLength(6);
    expect(open).toEqual(expect.arrayContaining([...due, far]));

    const now = at('2027-03-01', '10:00');
    await runner.schedule({
      name: 'supervision.scan',
      runAt: now,
      key: 'chunked-scan',
      payload: { chunk: 2 },
    });

    // One job runs the first chunk only — the first two items by id — and commits it on its own.
    expect(await runner.runDue(now, 1)).toEqual({ done: 1, failed: 0 });
    const firstChunk = open.slice(0, 2).filter((id) => id !== far);
    expect(await reminded()).toEqual(firstChunk.sort());
    expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'task.reminder'`)).toBe(
      firstChunk.length,
    );
    // (Tomorrow's run is scheduled by every run of a daily job; here: the continuation.)
    const next = await db.query(
      `SELECT payload FROM job WHERE name = 'supervision.scan' AND status = 'pending' AND payload ? 'afterId'
       ORDER BY run_at`,
    );
    expect(next.rows).toEqual([
      { payload: expect.objectContaining({ day: '2027-03-01', afterId: open[1], chunk: 2 }) },
    ]);

    // The rest: chunks [3, 4], [5, 6] and an empty one; tomorrow's scan is waiting.
    expect(await runner.runDue(now)).toEqual({ done: 3, failed: 0 });
    expect(await reminded()).toEqual([...due].sort());
    expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'task.reminder'`)).toBe(5);
    for (const id of due) {
      expect(
        await count(
          `SELECT count(*)::int AS n FROM notification WHERE topic = 'task.reminder' AND dedupe_key LIKE $1`,
          [`task.reminder:${id}:%`],
        ),
      ).toBe(2); // the lead unit and the supervision office
    }
    const run = (next.rows[0] as { payload: { run: string } }).payload.run;
    expect(
      await count(
        `SELECT count(*)::int AS n FROM job WHERE name = 'supervision.scan' AND payload->>'run' = $1 AND status = 'done'`,
        [run],
      ),
    ).toBe(3);
    const tomorrow = await db.query(
      `SELECT status, run_at FROM job WHERE key = 'supervision.scan:2027-03-02'`,
    );
    expect(tomorrow.rows).toEqual([{ status: 'pending', run_at: at('2027-03-02', '08:30') }]);

    // Scanning again (another chunk size) sends nothing twice.
    await runner.schedule({
      name: 'supervision.scan',
      runAt: now,
      key: 'chunked-scan-again',
      payload: { chunk: 4 },
    });
    expect(await runner.runDue(now)).toEqual({ done: 2, failed: 0 });
    expect(await reminded()).toEqual([...due].sort());
    expect(await count(`SELECT count(*)::int AS n FROM notification WHERE topic = 'task.reminder'`)).toBe(10);
    expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'task.reminder'`)).toBe(5);
  });
});
