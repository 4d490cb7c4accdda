/* Seed 000 as a story: "累计邀请500余人次列席会议". Sixty representatives imported from a CSV sheet,
 * two invitation policies, 26 weekly executive meetings each seating 20 by agenda category; the
 * figures must equal what the invitation rows say, and rotation must spread the seats evenly. */
import { Client } from 'pg';
import { Api, startTestApp, type TestApp } from './support/app';

const MEETINGS = 26;
const PER_MEETING = 20;
const CHECKED_IN = 15;

describe('attendance figures (seed 000 story)', () => {
  let t: TestApp;
  let db: Client;
  let sec: Api;
  const starts: Date[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    sec = await Api.login(t.baseUrl, 'secretary');
    const lines = ['姓名,界别/身份,行业/领域,区域/镇街,联系方式'];
    for (let i = 1; i <= 20; i++) {
      lines.push(`代表${i},人大代表,教育,城关镇,1390000${String(i).padStart(4, '0')}`);
      lines.push(`委员${i},政协委员,医药,终兴镇,1380000${String(i).padStart(4, '0')}`);
      lines.push(`市民${i},市民代表,社区,北城街道,1370000${String(i).padStart(4, '0')}`);
    }
    const report = await sec.ok(
      sec.post('/api/participants/import', {
        format: 'csv',
        contentBase64: Buffer.from(lines.join('\r\n'), 'utf8').toString('base64'),
      }),
    );
    expect(report).toMatchObject({ rows: 60, imported: 60, errors: [] });
    const quotas = [
      { constituency: 'deputy', count: 7 },
      { constituency: 'cppcc_member', count: 7 },
      { constituency: 'citizen_rep', count: 6 },
    ];
    await sec.ok(
      sec.post('/api/invitation-policies', { name: '重点工作', category: 'key_work', quotas }),
      201,
    );
    await sec.ok(
      sec.post('/api/invitation-policies', { name: '重大事项', category: 'major_matter', quotas }),
      201,
    );
    for (let w = 0; w < MEETINGS; w++) {
      const start = new Date(Date.UTC(2032, 0, 5 + 7 * w, 2));
      starts.push(start);
      const m = await sec.ok(
        sec.post('/api/meetings', {
          kind: 'executive',
          title: `县政府第${w + 1}次常务会议`,
          startsAt: start.toISOString(),
          endsAt: new Date(start.getTime() + 2 * 3600_000).toISOString(),
          agenda: [{ title: `议题${w + 1}`, category: w % 2 === 0 ? 'key_work' : 'major_matter' }],
        }),
        201,
      );
      const gen = await sec.ok(sec.post(`/api/meetings/${m.id}/invitations/generate`));
      expect(gen.created).toHaveLength(PER_MEETING);
      await sec.ok(sec.post(`/api/meetings/${m.id}/schedule`));
      await sec.ok(sec.post(`/api/meetings/${m.id}/open`));
      for (const inv of gen.created.slice(0, CHECKED_IN))
        await sec.ok(sec.post(`/api/invitations/${inv.id}/check-in`));
      await sec.ok(sec.post(`/api/meetings/${m.id}/adjourn`));
      await sec.ok(sec.post(`/api/meetings/${m.id}/attendance/finalize`));
    }
    // 26 meetings through the api, one request at a time: minutes on a busy shared machine.
  }, 240_000);
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  const period = `from=${encodeURIComponent('2032-01-01T00:00:00Z')}&to=${encodeURIComponent('2033-01-01T00:00:00Z')}`;

  it('counts 520 person-times invited, 390 sat in, and the people behind them', async () => {
    const f = await sec.ok(sec.get(`/api/figures/attendance?${period}`));
    const rows = await db.query(
      `SELECT count(*)::int AS n, count(DISTINCT participant_id)::int AS people,
              count(DISTINCT participant_id) FILTER (WHERE i.status = 'attended')::int AS sat
       FROM invitation i JOIN meeting m ON m.id = i.meeting_id WHERE m.starts_at >= '2032-01-01'`,
    );
    expect(rows.rows[0].n).toBe(MEETINGS * PER_MEETING);
    expect(rows.rows[0].people).toBe(63);
    expect(f.total).toMatchObject({
      invited: 520,
      declined: 0,
      attended: 390,
      absent: 130,
      // All 63 eligible people got a seat: the 60 imported and the demo deputy, member and citizen.
      distinctInvited: 63,
      distinctAttended: rows.rows[0].sat,
      attendanceRate: 0.75,
    });
  });

  it('splits by constituency and by agenda category', async () => {
    const f = await sec.ok(sec.get(`/api/figures/attendance?${period}`));
    const by = Object.fromEntries(f.byConstituency.map((r: any) => [r.constituency, r.invited]));
    expect(by).toEqual({ citizen_rep: 156, cppcc_member: 182, deputy: 182 });
    const cat = Object.fromEntries(f.byCategory.map((r: any) => [r.category, r.invited]));
    expect(cat).toEqual({ key_work: 260, major_matter: 260 });
    expect(f.byCategory.find((r: any) => r.category === 'key_work').label).toEqual({
      zh: '重点工作',
      en: 'Key work',
    });
  });

  it('splits by month and honours the period', async () => {
    const f = await sec.ok(sec.get(`/api/figures/attendance?${period}`));
    const expected: Record<string, number> = {};
    for (const s of starts) {
      const month = s.toISOString().slice(0, 7);
      expected[month] = (expected[month] ?? 0) + PER_MEETING;
    }
    expect(Object.fromEntries(f.byMonth.map((r: any) => [r.month, r.invited]))).toEqual(expected);
    const firstFour = await sec.ok(
      sec.get(
        `/api/figures/attendance?from=2032-01-01T00:00:00Z&to=${encodeURIComponent(starts[4].toISOString())}`,
      ),
    );
    expect(firstFour.total.invited).toBe(4 * PER_MEETING);
    const bad = await sec.get('/api/figures/attendance?from=someday');
    expect(bad.status).toBe(400);
  });

  it('rotates seats evenly: within a constituency nobody has more than one seat more than anyone else', async () => {
    // Every seat counts, the demo meeting's too (its attendees had sat in once before 2032).
    const seats = await db.query(
      `SELECT i.constituency, min(n)::int AS min, max(n)::int AS max, count(*)::int AS people FROM (
         SELECT participant_id, constituency, count(*) AS n FROM invitation
         GROUP BY participant_id, constituency) i GROUP BY i.constituency ORDER BY 1`,
    );
    expect(seats.rows.map((r) => [r.constituency, r.people])).toEqual([
      ['citizen_rep', 21],
      ['cppcc_member', 21],
      ['deputy', 21],
      ['entrepreneur_rep', 1],
    ]);
    for (const r of seats.rows) expect(r.max - r.min).toBeLessThanOrEqual(1);
  });

  it('is for overseers only', async () => {
    const attendee = await Api.login(t.baseUrl, 'deputy1');
    expect((await attendee.get('/api/figures/attendance')).status).toBe(403);
    const handler = await Api.login(t.baseUrl, 'handler');
    expect((await handler.get('/api/figures/attendance')).status).toBe(403);
  });
});
