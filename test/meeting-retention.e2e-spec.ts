/* Retention of the live event log, with a controllable clock: a meeting closed or cancelled more
 * than EVENT_RETENTION_DAYS ago loses the events of its stream (the stream's last seq stays), a
 * younger one keeps them, a second run does nothing, and a sweep that hits its batch limit goes
 * on in a job of its own. */
import { Clock, JobRunner } from '@liexi/platform';
import { EVENT_LOG_PRUNE_JOB, EVENT_LOG_SWEEP_JOB, MeetingRetentionService } from '@liexi/meetings';
import { Client } from 'pg';
import { Api, startTestApp, type TestApp } from './support/app';

const DAY = 86_400_000;
const T0 = new Date('2031-05-01T10:00:00+08:00');
const after = (days: number): Date => new Date(T0.getTime() + days * DAY);

describe('meeting event log retention', () => {
  let t: TestApp;
  let sec: Api;
  let db: Client;
  let clock: Clock;
  let runner: JobRunner;
  let retention: MeetingRetentionService;
  let people = 0;

  beforeAll(async () => {
    t = await startTestApp({ JOBS_ENABLED: 'false', EVENT_RETENTION_DAYS: '30' });
    sec = await Api.login(t.baseUrl, 'secretary');
    clock = t.app.get(Clock);
    runner = t.app.get(JobRunner);
    retention = t.app.get(MeetingRetentionService);
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    clock?.set(null);
    await db?.end();
    await t.close();
  });

  /** A meeting with one checked-in invitee, ended at the clock's `at`: three events when closed, one when cancelled. */
  async function endedMeeting(at: Date, how: 'close' | 'cancel'): Promise<string> {
    clock.set(at);
    const m = await sec.ok(
      sec.post('/api/meetings', {
        kind: 'executive',
        title: `留存测试 ${how} ${at.toISOString()}`,
        startsAt: '2031-04-20T01:00:00Z',
        endsAt: '2031-04-20T03:00:00Z',
        agenda: [{ title: '议题', category: 'key_work' }],
      }),
      201,
    );
    const person = await sec.ok(
      sec.post('/api/participants', { name: `留存代表${++people}`, constituency: 'deputy' }),
      201,
    );
    const inv = await sec.ok(
      sec.post(`/api/meetings/${m.id}/invitations`, { participantId: person.id }),
      201,
    );
    await sec.ok(sec.post(`/api/meetings/${m.id}/schedule`));
    await sec.ok(sec.post(`/api/invitations/${inv.id}/check-in`)); // attendance.changed
    if (how === 'close') {
      await sec.ok(sec.post(`/api/meetings/${m.id}/open`)); // meeting.opened
      await sec.ok(sec.post(`/api/meetings/${m.id}/adjourn`)); // meeting.adjourned
    }
    expect((await sec.ok(sec.post(`/api/meetings/${m.id}/${how}`))).status).toBe(
      how === 'close' ? 'closed' : 'cancelled',
    );
    return m.id;
  }

  const events = async (meetingId: string): Promise<number> =>
    Number(
      (await db.query('SELECT count(*) AS n FROM event_log WHERE stream = $1', [`meeting:${meetingId}`]))
        .rows[0].n,
    );
  const lastSeq = async (meetingId: string): Promise<number | null> => {
    const rows = (
      await db.query('SELECT last_seq FROM event_stream WHERE stream = $1', [`meeting:${meetingId}`])
    ).rows;
    return rows.length === 0 ? null : Number(rows[0].last_seq);
  };
  const ended = async (
    meetingId: string,
  ): Promise<{ closed_at: Date | null; event_log_pruned_at: Date | null }> =>
    (await db.query('SELECT closed_at, event_log_pruned_at FROM meeting WHERE id = $1', [meetingId])).rows[0];

  const doneJobs = async (name: string): Promise<number> =>
    Number(
      (await db.query(`SELECT count(*) AS n FROM job WHERE name = $1 AND status = 'done'`, [name])).rows[0].n,
    );

  /** Runs what is due at `now` (today's sweep made sure of): how many sweeps and prunes ran. */
  async function run(now: Date, sweep = true): Promise<{ sweeps: number; prunes: number; failed: number }> {
    const [sweeps, prunes] = [await doneJobs(EVENT_LOG_SWEEP_JOB), await doneJobs(EVENT_LOG_PRUNE_JOB)];
    clock.set(now);
    if (sweep) await retention.ensureSweep(now);
    const { done, failed } = await runner.runDue(now);
    const ran = {
      sweeps: (await doneJobs(EVENT_LOG_SWEEP_JOB)) - sweeps,
      prunes: (await doneJobs(EVENT_LOG_PRUNE_JOB)) - prunes,
      failed,
    };
    expect(ran.sweeps + ran.prunes).toBe(done); // nothing else ran
    return ran;
  }

  let closedOld: string;
  let cancelledOld: string;
  let closedYoung: string;

  it('stamps closed_at when a meeting is closed or cancelled, and only then', async () => {
    closedOld = await endedMeeting(T0, 'close');
    cancelledOld = await endedMeeting(T0, 'cancel');
    closedYoung = await endedMeeting(after(2), 'close');
    expect(await ended(closedOld)).toEqual({ closed_at: T0, event_log_pruned_at: null });
    expect(await ended(cancelledOld)).toEqual({ closed_at: T0, event_log_pruned_at: null });
    expect((await ended(closedYoung)).closed_at).toEqual(after(2));
    const live = (await sec.all<any>('/api/meetings')).find((m) => m.status === 'in_session');
    expect(await ended(live.id)).toEqual({ closed_at: null, event_log_pruned_at: null });
    expect([await events(closedOld), await events(cancelledOld), await events(closedYoung)]).toEqual([
      3, 1, 3,
    ]);
  });

  it('deletes the events of meetings ended more than 30 days ago; the stream keeps its last seq', async () => {
    const now = after(31);
    // The sweep and one prune job per due meeting.
    expect(await run(now)).toEqual({ sweeps: 1, prunes: 2, failed: 0 });
    expect(await events(closedOld)).toBe(0);
    expect(await events(cancelledOld)).toBe(0);
    expect(await lastSeq(closedOld)).toBe(3);
    expect(await lastSeq(cancelledOld)).toBe(1);
    expect(await ended(closedOld)).toEqual({ closed_at: T0, event_log_pruned_at: now });
    expect((await ended(cancelledOld)).event_log_pruned_at).toEqual(now);
    // Closed 29 days ago: kept.
    expect(await events(closedYoung)).toBe(3);
    expect((await ended(closedYoung)).event_log_pruned_at).toBeNull();
    // The next sweep is scheduled for tomorrow, 03:00 in Shanghai.
    const next = await db.query('SELECT run_at FROM job WHERE name = $1 AND status = $2', [
      EVENT_LOG_SWEEP_JOB,
      'pending',
    ]);
    expect(next.rows.map((r) => r.run_at)).toEqual([new Date('2031-06-02T03:00:00+08:00')]);
  });

  it('a second run does nothing', async () => {
    const now = after(31);
    expect(await run(now)).toEqual({ sweeps: 0, prunes: 0, failed: 0 });
    expect(await retention.sweep(now)).toBe(0);
    expect(await retention.prune(closedOld, now)).toBe(0);
    expect(await run(now, false)).toEqual({ sweeps: 0, prunes: 0, failed: 0 });
    expect(await events(closedYoung)).toBe(3);
    expect(await lastSeq(closedOld)).toBe(3);
  });

  it('the younger meeting goes when its time has come; the pruned one is left alone', async () => {
    const pruned = (await ended(closedOld)).event_log_pruned_at;
    // Two days later: yesterday's scheduled sweep and today's, one prune between them.
    const now = after(33);
    expect(await run(now)).toEqual({ sweeps: 2, prunes: 1, failed: 0 });
    expect(await events(closedYoung)).toBe(0);
    expect(await lastSeq(closedYoung)).toBe(3);
    expect((await ended(closedYoung)).event_log_pruned_at).toEqual(now);
    expect((await ended(closedOld)).event_log_pruned_at).toEqual(pruned);
  });

  it('a sweep over its batch limit hands the rest to a follow-up run', async () => {
    const first = await endedMeeting(after(40), 'close');
    const second = await endedMeeting(after(40), 'cancel');
    // Exactly 30 days on: not yet (the scheduled sweep of day 34 and today's find nothing).
    expect(await run(after(70))).toEqual({ sweeps: 2, prunes: 0, failed: 0 });
    // 01:00 the next night, before that day's sweep (03:00) is due: the sweep is run by hand.
    const now = new Date(after(70).getTime() + 15 * 3_600_000);
    clock.set(now);
    expect(await retention.sweep(now, null, 1)).toBe(1);
    // The first meeting's prune, the follow-up sweep, the second meeting's prune.
    expect(await run(now, false)).toEqual({ sweeps: 1, prunes: 2, failed: 0 });
    expect([await events(first), await events(second)]).toEqual([0, 0]);
    expect((await ended(first)).event_log_pruned_at).toEqual(now);
    expect((await ended(second)).event_log_pruned_at).toEqual(now);
  });
});
