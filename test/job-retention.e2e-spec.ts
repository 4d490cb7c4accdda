/* Retention of done jobs with a controllable clock: the daily `jobs.retention` job deletes jobs
 * that are done and older than JOB_RETENTION_DAYS, in chunks (a follow-up job takes what one
 * transaction should not), never pending or failed ones, and schedules the next day's run. */
import { Clock, JobRetention, JobRunner, RETENTION_CHUNK, RETENTION_CHUNKS_PER_RUN } from '@liexi/platform';
import { Client } from 'pg';
import { startTestApp, type TestApp } from './support/app';

/** `time` on `day` in Shanghai (the default APP_TIME_ZONE). */
const at = (day: string, time = '09:00'): Date => new Date(`${day}T${time}:00+08:00`);
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

async function waitFor(predicate: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('retention of done jobs', () => {
  let t: TestApp;
  let clock: Clock;
  let runner: JobRunner;
  let retention: JobRetention;
  let db: Client;

  beforeAll(async () => {
    t = await startTestApp({ JOBS_ENABLED: 'false', JOB_RETENTION_DAYS: '30' });
    clock = t.app.get(Clock);
    runner = t.app.get(JobRunner);
    retention = t.app.get(JobRetention);
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    clock?.set(null);
    await db?.end();
    await t?.close();
  });

  /** `n` jobs named `name` with the given status and done_at (none is due: run_at is far ahead). */
  const insertJobs = (name: string, n: number, status: string, doneAt: Date | null): Promise<unknown> =>
    db.query(
      `INSERT INTO job (name, payload, run_at, status, attempts, done_at, created_at)
       SELECT $1, '{}', '2099-01-01', $3, 1, $4, $5 FROM generate_series(1, $2)`,
      [name, n, status, doneAt, new Date((doneAt ?? new Date('2030-01-01')).getTime() - DAY_MS)],
    );
  const countOf = async (where: string, params: unknown[] = []): Promise<number> =>
    Number(
      (await db.query<{ n: string }>(`SELECT count(*) AS n FROM job WHERE ${where}`, params)).rows[0]?.n,
    );
  const retentionJobs = async (): Promise<
    { key: string | null; status: string; run_at: Date; done_at: Date | null }[]
  > =>
    (
      await db.query(
        `SELECT key, status, run_at, done_at FROM job WHERE name = 'jobs.retention' ORDER BY run_at, key NULLS LAST`,
      )
    ).rows;

  const day1 = at('2031-03-10');
  // More than one run can take, so the work goes on in a follow-up job.
  const oldDone = RETENTION_CHUNK * RETENTION_CHUNKS_PER_RUN + 1234;

  it('deletes done jobs older than the retention in chunks, and nothing else', async () => {
    clock.set(day1);
    const cutoff = day1.getTime() - 30 * DAY_MS;
    await insertJobs('test.old_done', oldDone, 'done', new Date(cutoff - 5 * DAY_MS));
    await insertJobs('test.just_old', 1, 'done', new Date(cutoff - MINUTE_MS));
    await insertJobs('test.just_recent', 1, 'done', new Date(cutoff + MINUTE_MS));
    await insertJobs('test.recent_done', 7, 'done', new Date(day1.getTime() - DAY_MS));
    // Never deleted, however old: work still to do, and evidence to look at.
    await insertJobs('test.old_pending', 3, 'pending', null);
    await insertJobs('test.old_failed', 4, 'failed', null);
    await db.query(
      `UPDATE job SET created_at = '2029-01-01', run_at = '2029-01-02' WHERE name = 'test.old_failed'`,
    );

    await retention.ensureScheduled(day1);
    await retention.ensureScheduled(day1); // once per local date
    expect(await retentionJobs()).toEqual([
      { key: 'jobs.retention:2031-03-10', status: 'pending', run_at: day1, done_at: null },
    ]);

    // The first run deletes as much as one transaction may and leaves a follow-up due at once;
    // the runner takes it in the same pass.
    expect(await runner.runDue(day1)).toEqual({ done: 2, failed: 0 });

    expect(await countOf("name = 'test.old_done'")).toBe(0);
    expect(await countOf("name = 'test.just_old'")).toBe(0);
    expect(await countOf("name = 'test.just_recent'")).toBe(1);
    expect(await countOf("name = 'test.recent_done'")).toBe(7);
    expect(await countOf("name = 'test.old_pending' AND status = 'pending'")).toBe(3);
    expect(await countOf("name = 'test.old_failed' AND status = 'failed'")).toBe(4);

    expect(await retentionJobs()).toEqual([
      { key: 'jobs.retention:2031-03-10', status: 'done', run_at: day1, done_at: day1 },
      { key: null, status: 'done', run_at: day1, done_at: day1 }, // the follow-up
      {
        key: 'jobs.retention:2031-03-11',
        status: 'pending',
        run_at: at('2031-03-11', '03:15'),
        done_at: null,
      },
    ]);
  });

  it('runs daily: each run schedules the next day', async () => {
    const day2 = at('2031-03-11', '03:15');
    clock.set(day2);
    await retention.ensureScheduled(day2); // already scheduled by yesterday's run
    expect(await runner.runDue(day2)).toEqual({ done: 1, failed: 0 });
    expect(await countOf("name = 'test.just_recent'")).toBe(0); // now older than 30 days too
    expect(await countOf("name = 'test.recent_done'")).toBe(7);
    const keys = (await retentionJobs()).map((j) => `${j.key ?? 'follow-up'} ${j.status}`);
    expect(keys).toEqual([
      'jobs.retention:2031-03-10 done',
      'follow-up done',
      'jobs.retention:2031-03-11 done',
      'jobs.retention:2031-03-12 pending',
    ]);
  });

  it('forgets its own runs after the retention as well', async () => {
    // Nobody ran jobs for a month; the next run catches up and deletes the runs of 03-10 (done
    // more than 30 days before), keeping that of 03-11 (done exactly 30 days before: not older).
    const later = at('2031-04-10', '03:15');
    clock.set(later);
    expect(await runner.runDue(later)).toEqual({ done: 1, failed: 0 });
    const left = (await retentionJobs()).map((j) => `${j.key ?? 'follow-up'} ${j.status}`);
    expect(left).toEqual([
      'jobs.retention:2031-03-11 done',
      'jobs.retention:2031-03-12 done',
      'jobs.retention:2031-04-11 pending',
    ]);
    expect(await countOf("name = 'test.recent_done'")).toBe(0);
    expect(await countOf("status IN ('pending', 'failed') AND name LIKE 'test.%'")).toBe(7);
  });

  it('is scheduled when the runner starts, and catches up after a pause without running once per missed day', async () => {
    const restart = at('2031-04-20', '12:00');
    clock.set(restart);
    await runner.start();
    await waitFor(async () => (await countOf("key = 'jobs.retention:2031-04-20' AND status = 'done'")) === 1);
    const left = (await retentionJobs()).map((j) => `${j.key ?? 'follow-up'} ${j.status}`);
    expect(left).toEqual([
      // 03-11's run (done 03-11) is now older than 30 days and gone; 03-12's ran late, on 04-10.
      'jobs.retention:2031-03-12 done',
      'jobs.retention:2031-04-11 done', // overdue since the pause, run once
      'jobs.retention:2031-04-20 done', // scheduled by the start hook
      'jobs.retention:2031-04-21 pending',
    ]);
  });
});
