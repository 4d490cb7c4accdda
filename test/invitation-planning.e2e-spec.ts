/* Planning by agenda category: generation (category match, rotation, no double booking,
 * explanation), the invitation lifecycle, one-time check-in codes, .ics, notices and roles. */
import { Client } from 'pg';
import { Api, startTestApp, type TestApp } from './support/app';

describe('invitation planning', () => {
  let t: TestApp;
  let db: Client;
  let sec: Api;
  const people: Record<string, string> = {};
  /** The private contacts seeded, each its own: spaces and "+" never occur in ids or timestamps. */
  const contacts: string[] = [];

  const person = async (name: string, constituency: string, sector?: string): Promise<string> => {
    const contact = `+86 138 0000 ${String(contacts.length + 1).padStart(4, '0')}`;
    const p = await sec.ok(sec.post('/api/participants', { name, constituency, sector, contact }), 201);
    contacts.push(contact);
    people[name] = p.id;
    return p.id;
  };
  const meeting = async (
    title: string,
    startsAt: string,
    endsAt: string,
    agenda: object[],
  ): Promise<string> =>
    (
      await sec.ok(
        sec.post('/api/meetings', {
          kind: 'executive',
          title,
          startsAt,
          endsAt,
          place: '第一会议室',
          agenda,
        }),
        201,
      )
    ).id;
  const generate = (id: string): Promise<any> => sec.ok(sec.post(`/api/meetings/${id}/invitations/generate`));
  const invitees = async (id: string): Promise<any[]> => sec.all(`/api/meetings/${id}/invitations`);
  const notices = async (participantId: string, topic: string): Promise<number> =>
    Number(
      (
        await db.query('SELECT count(*) AS n FROM notification WHERE recipient_id = $1 AND topic = $2', [
          participantId,
          topic,
        ])
      ).rows[0].n,
    );

  beforeAll(async () => {
    t = await startTestApp();
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    sec = await Api.login(t.baseUrl, 'secretary');
    // Experts and media only: the demo seed has none, so the pools are known.
    await person('专家甲', 'expert', '金融');
    await person('专家乙', 'expert', '教育');
    await person('专家丙', 'expert', '教育');
    await person('专家丁', 'expert', '教育');
    await person('记者甲', 'media');
    await person('记者乙', 'media');
    const retired = await person('专家退', 'expert', '金融');
    await sec.ok(sec.request<any>('PATCH', `/api/participants/${retired}`, { active: false }));
    await sec.ok(
      sec.post('/api/invitation-policies', {
        name: '重点工作',
        category: 'key_work',
        quotas: [
          { constituency: 'expert', count: 2 },
          { constituency: 'media', count: 1 },
        ],
        preferredSectors: ['金融'],
      }),
      201,
    );
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  describe('generation', () => {
    let m1: string;
    let m2: string;
    let firstExperts: string[];

    it('validates policies: known category and topic, each constituency once', async () => {
      const base = { name: 'p', category: 'key_work', quotas: [{ constituency: 'expert', count: 1 }] };
      for (const body of [
        { ...base, category: 'gossip' },
        { ...base, topic: 'no_such_topic' },
        {
          ...base,
          quotas: [
            { constituency: 'expert', count: 1 },
            { constituency: 'expert', count: 2 },
          ],
        },
        { ...base, quotas: [{ constituency: 'farmer', count: 1 }] },
        { ...base, quotas: [] },
      ]) {
        const res = await sec.post<any>('/api/invitation-policies', body);
        expect([res.status, res.body.code]).toEqual([400, 'VALIDATION']);
      }
      const list = await sec.all('/api/invitation-policies');
      expect(list).toHaveLength(1);
    });

    it('refuses an unknown category with VALIDATION', async () => {
      const res = await sec.post('/api/meetings', {
        kind: 'executive',
        title: 'x',
        startsAt: '2030-01-01T01:00:00Z',
        endsAt: '2030-01-01T02:00:00Z',
        agenda: [{ title: 'x', category: 'no_such_category' }],
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION');
      expect(Object.keys(res.body.fields)).toEqual(['agenda.0.category']);
    });

    it('invites by the categories on the agenda only', async () => {
      const docOnly = await meeting('文件审议', '2030-01-05T01:00:00Z', '2030-01-05T03:00:00Z', [
        { title: '《办法》', category: 'important_document' },
      ]);
      const res = await generate(docOnly);
      expect(res.policies).toEqual([]);
      expect(res.created).toEqual([]);
    });

    it('picks preferred sectors first, fills each constituency quota and explains every pick', async () => {
      m1 = await meeting('第一次常务会议', '2030-01-10T01:00:00Z', '2030-01-10T03:00:00Z', [
        { title: '金融支持', category: 'key_work', topics: ['business_environment'] },
      ]);
      const res = await generate(m1);
      expect(res.created).toHaveLength(3);
      expect(res.shortfalls).toEqual([]);
      const experts = res.created.filter((i: any) => i.constituency === 'expert');
      expect(experts).toHaveLength(2);
      expect(res.created.filter((i: any) => i.constituency === 'media')).toHaveLength(1);
      expect(experts.map((e: any) => e.participantId)).toContain(people['专家甲']);
      expect(res.created.map((e: any) => e.participantId)).not.toContain(people['专家退']);
      const jia = experts.find((e: any) => e.participantId === people['专家甲']);
      expect(jia.explanation).toMatchObject({
        source: 'policy',
        category: 'key_work',
        sectorMatch: true,
        lastSeatAt: null,
      });
      expect(jia.explanation.reasons.map((r: any) => r.en)).toEqual(
        expect.arrayContaining(['never invited before', 'preferred sector: 金融']),
      );
      // The policy's reason names the category and the constituency, never their codes (issue 9).
      const byPolicy = jia.explanation.reasons[0];
      expect(byPolicy.zh).toMatch(/重点工作.*专家/);
      expect(byPolicy.en).toMatch(/key work.*expert/i);
      expect(`${byPolicy.zh} ${byPolicy.en}`).not.toMatch(/key_work|\bexpert\b.*expert_|cppcc_member/);
      expect(byPolicy.zh).not.toMatch(/[a-z]+_[a-z]+/);
      // No contact details in explanations.
      expect(contacts.length).toBeGreaterThan(0);
      const body = JSON.stringify(res);
      for (const contact of contacts) expect(body).not.toContain(contact);
      firstExperts = experts.map((e: any) => e.participantId);
    });

    it('does not duplicate when generated again', async () => {
      const res = await generate(m1);
      expect(res.created).toEqual([]);
      expect(res.kept).toBe(3);
      expect(await invitees(m1)).toHaveLength(3);
    });

    it('rotates: the next meeting seats people who have not sat in yet', async () => {
      m2 = await meeting('第二次常务会议', '2030-02-10T01:00:00Z', '2030-02-10T03:00:00Z', [
        { title: '产业项目', category: 'key_work' },
      ]);
      const res = await generate(m2);
      const experts = res.created.filter((i: any) => i.constituency === 'expert');
      const other = experts.find((e: any) => e.participantId !== people['专家甲']);
      expect(other).toBeDefined();
      expect(firstExperts).not.toContain(other.participantId);
      expect(other.explanation.lastSeatAt).toBeNull();
      const first = (await invitees(m1)).find((i) => i.constituency === 'media');
      const media = res.created.find((i: any) => i.constituency === 'media');
      expect(media.participantId).not.toBe(first.participantId);
      // The preferred expert is invited again, and the explanation says when he last sat in.
      const jia = experts.find((e: any) => e.participantId === people['专家甲']);
      expect(jia.explanation.lastSeatAt).toBe('2030-01-10T01:00:00.000Z');
      expect(jia.explanation.previousSeats).toBe(1);
    });

    it('never double-books a person into an overlapping meeting, and says who was skipped', async () => {
      const m3 = await meeting('同日规划评审', '2030-02-10T02:00:00Z', '2030-02-10T04:00:00Z', [
        { title: '规划', category: 'key_work' },
      ]);
      const res = await generate(m3);
      const busy = new Set((await invitees(m2)).map((i) => i.participantId));
      for (const c of res.created) expect(busy.has(c.participantId)).toBe(false);
      expect(res.skipped.map((s: any) => s.participantId)).toContain(people['专家甲']);
      expect(res.skipped.find((s: any) => s.participantId === people['专家甲']).reason.en).toContain(
        'overlapping',
      );
      // Two experts are free (乙丙丁 minus the one in m2), one medium is not (both are busy? no: m2 took one).
      expect(res.created.filter((i: any) => i.constituency === 'expert')).toHaveLength(2);
      expect(res.created.filter((i: any) => i.constituency === 'media')).toHaveLength(1);
    });

    it('a withdrawn person is told, not re-picked, and the seat is refilled', async () => {
      const drafted = await invitees(m1);
      for (const i of drafted) expect(await notices(i.participantId, 'invitation.invited')).toBe(0);
      await sec.ok(sec.post(`/api/meetings/${m1}/schedule`));
      // Invitations made on the draft are announced once the meeting is scheduled.
      for (const i of drafted) expect(await notices(i.participantId, 'invitation.invited')).toBe(1);
      const list = await invitees(m1);
      const target = list.find((i) => i.participantId !== people['专家甲'] && i.constituency === 'expert');
      const w = await sec.ok(sec.post(`/api/invitations/${target.id}/withdraw`, { reason: '议题调整' }));
      expect(w.status).toBe('withdrawn');
      expect(await notices(target.participantId, 'invitation.withdrawn')).toBe(1);
      const res = await generate(m1);
      expect(res.created).toHaveLength(1);
      expect(res.created[0].participantId).not.toBe(target.participantId);
      expect(await notices(res.created[0].participantId, 'invitation.invited')).toBe(1);
    });

    it('notifies invitees of a late change of time or place, and of a cancellation', async () => {
      const list = (await invitees(m1)).filter((i) => i.status !== 'withdrawn');
      await sec.ok(sec.request<any>('PATCH', `/api/meetings/${m1}`, { place: '第二会议室' }));
      for (const i of list) expect(await notices(i.participantId, 'invitation.changed')).toBe(1);
      await sec.ok(sec.request<any>('PATCH', `/api/meetings/${m1}`, { title: '改名不通知' }));
      for (const i of list) expect(await notices(i.participantId, 'invitation.changed')).toBe(1);
      await sec.ok(sec.post(`/api/meetings/${m1}/cancel`));
      for (const i of list) expect(await notices(i.participantId, 'invitation.cancelled')).toBe(1);
      const res = await sec.request<any>('PATCH', `/api/meetings/${m1}`, { title: 'again' });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('INVALID_TRANSITION');
    });
  });

  describe('lifecycle, check-in codes, calendar', () => {
    let m: string;
    let citizenInv: any;
    let entInv: any;
    let citizen: Api;

    beforeAll(async () => {
      m = await meeting('第三次常务会议', '2031-03-01T01:00:00Z', '2031-03-01T03:00:00Z', [
        { title: '学位扩容', category: 'major_matter', topics: ['education'] },
      ]);
      const all = await sec.all('/api/participants');
      const zhang = all.find((p: any) => p.name === '张秀兰');
      const chen = all.find((p: any) => p.name === '陈志强');
      citizenInv = await sec.ok(sec.post(`/api/meetings/${m}/invitations`, { participantId: zhang.id }), 201);
      entInv = await sec.ok(sec.post(`/api/meetings/${m}/invitations`, { participantId: chen.id }), 201);
      await sec.ok(sec.post(`/api/meetings/${m}/schedule`));
      citizen = await Api.login(t.baseUrl, 'citizen1');
    });

    it('accept, decline with a reason, accept again; illegal steps answer INVALID_TRANSITION with the allowed list', async () => {
      expect((await citizen.ok(citizen.post(`/api/invitations/${citizenInv.id}/accept`))).status).toBe(
        'accepted',
      );
      const declined = await citizen.ok(
        citizen.post(`/api/invitations/${citizenInv.id}/decline`, { reason: '出差' }),
      );
      expect(declined).toMatchObject({ status: 'declined', declineReason: '出差' });
      const code = await sec.post(`/api/invitations/${citizenInv.id}/check-in-code`);
      expect(code.status).toBe(409);
      expect(code.body.code).toBe('INVALID_TRANSITION');
      const noReason = await citizen.post(`/api/invitations/${citizenInv.id}/decline`, {});
      expect(noReason.status).toBe(400);
      const again = await citizen.post(`/api/invitations/${citizenInv.id}/decline`, { reason: '再次' });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'INVALID_TRANSITION', allowed: ['accept', 'withdraw'] });
      expect((await citizen.ok(citizen.post(`/api/invitations/${citizenInv.id}/accept`))).status).toBe(
        'accepted',
      );
      const early = await sec.post(`/api/invitations/${citizenInv.id}/attended`);
      expect(early.status).toBe(409);
      expect(early.body.code).toBe('INVALID_TRANSITION');
    });

    it('only the invitee answers; attendees see only their own invitations, without explanations', async () => {
      const deputy = await Api.login(t.baseUrl, 'deputy1');
      expect((await deputy.post(`/api/invitations/${citizenInv.id}/accept`)).status).toBe(403);
      expect((await deputy.get(`/api/invitations/${citizenInv.id}/calendar.ics`)).status).toBe(403);
      const mine = await citizen.all(`/api/meetings/${m}/invitations`);
      expect(mine.map((i: any) => i.id)).toEqual([citizenInv.id]);
      expect(mine[0].explanation).toBeUndefined();
      expect((await citizen.post(`/api/meetings/${m}/invitations/generate`)).status).toBe(403);
      expect((await citizen.post('/api/invitation-policies', {})).status).toBe(403);
      const leader = await Api.login(t.baseUrl, 'leader');
      const seen = await leader.all('/api/participants');
      expect(seen.every((p: any) => !('contact' in p))).toBe(true);
    });

    it('serves an RFC 5545 calendar file', async () => {
      const res = await fetch(`${t.baseUrl}/api/invitations/${citizenInv.id}/calendar.ics`, {
        headers: { authorization: `Bearer ${citizen.token}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
      const text = await res.text();
      expect(text.endsWith('\r\n')).toBe(true);
      expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
      const lines = text.split('\r\n');
      expect(lines).toEqual(
        expect.arrayContaining([
          'BEGIN:VCALENDAR',
          'BEGIN:VEVENT',
          `UID:${citizenInv.id}@liexi`,
          'DTSTART:20310301T010000Z',
          'DTEND:20310301T030000Z',
          'SUMMARY:第三次常务会议',
          'LOCATION:第一会议室',
          'END:VEVENT',
        ]),
      );
    });

    it('checks in once with the printed code and hands the tablet a session token', async () => {
      const code = await sec.ok(sec.post(`/api/invitations/${citizenInv.id}/check-in-code`), 201);
      expect(code.qrPayload).toBe(`liexi:checkin:${citizenInv.id}:${code.code}`);
      const stored = await db.query('SELECT checkin_code_hash FROM invitation WHERE id = $1', [
        citizenInv.id,
      ]);
      expect(stored.rows[0].checkin_code_hash).not.toContain(code.code);
      const anon = new Api(t.baseUrl);
      const wrong = await anon.post('/api/check-in', {
        payload: `liexi:checkin:${citizenInv.id}:WRONGCODE123`,
      });
      expect(wrong.status).toBe(401);
      const ok = await anon.ok(anon.post('/api/check-in', { payload: code.qrPayload }));
      expect(ok.invitation.status).toBe('checked_in');
      expect(ok.session.actor.username).toBe('citizen1');
      expect(new Date(ok.session.expiresAt).getTime()).toBeLessThanOrEqual(
        new Date('2031-03-01T03:00:01Z').getTime(),
      );
      const tablet = new Api(t.baseUrl, ok.session.accessToken);
      const mine = await tablet.all('/api/invitations/mine');
      expect(mine.map((i: any) => i.id)).toContain(citizenInv.id);
      const reuse = await anon.post('/api/check-in', { payload: code.qrPayload });
      expect(reuse.status).toBe(409);
      expect(reuse.body.code).toBe('CONFLICT');
    });

    it('refuses an expired code and checks nobody in', async () => {
      const code = await sec.ok(sec.post(`/api/invitations/${entInv.id}/check-in-code`), 201);
      await db.query(
        `UPDATE invitation SET checkin_code_expires_at = now() - interval '1 minute' WHERE id = $1`,
        [entInv.id],
      );
      const res = await new Api(t.baseUrl).post<any>('/api/check-in', { payload: code.qrPayload });
      expect(res.status).toBe(401);
      expect(res.body.detail).toContain('expired');
      const row = await db.query('SELECT status, checkin_code_used_at FROM invitation WHERE id = $1', [
        entInv.id,
      ]);
      expect(row.rows[0]).toEqual({ status: 'invited', checkin_code_used_at: null });
    });

    it('after adjourning, marks checked-in people attended and the rest absent', async () => {
      await sec.ok(sec.post(`/api/meetings/${m}/open`));
      const early = await sec.post(`/api/meetings/${m}/attendance/finalize`);
      expect(early.status).toBe(409);
      await sec.ok(sec.post(`/api/meetings/${m}/adjourn`));
      expect(await sec.ok(sec.post(`/api/meetings/${m}/attendance/finalize`))).toEqual({
        attended: 1,
        absent: 1,
      });
      const list = await invitees(m);
      expect(list.find((i) => i.id === citizenInv.id).status).toBe('attended');
      expect(list.find((i) => i.id === entInv.id).status).toBe('absent');
      const again = await sec.post(`/api/invitations/${citizenInv.id}/attended`);
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'INVALID_TRANSITION', allowed: [] });
      // An absence recorded by mistake can be corrected to attended.
      expect((await sec.ok(sec.post(`/api/invitations/${entInv.id}/attended`))).status).toBe('attended');
    });
  });
});
