/* The meetings context answers with views of its own: the JSON of every meetings endpoint has
 * exactly these fields (no column added to an entity leaks out, none goes missing), and an
 * invitation never shows the check-in code hash or, to an attendee, the explanation. */
import { Api, startTestApp, type TestApp } from './support/app';

const MEETING = [
  'chair',
  'chairAccountId',
  'createdAt',
  'endsAt',
  'id',
  'kind',
  'place',
  'startsAt',
  'status',
  'title',
  'updatedAt',
];
const MEETING_WITH_AGENDA = [...MEETING, 'agenda'].sort();
const AGENDA_ITEM = ['attachments', 'category', 'id', 'meetingId', 'position', 'state', 'title', 'topics'];
const INVITATION = [
  'checkedInAt',
  'checkinCodeExpiresAt',
  'checkinCodeUsedAt',
  'constituency',
  'declineReason',
  'id',
  'invitedAt',
  'meetingId',
  'participantId',
  'policyId',
  'respondedAt',
  'source',
  'status',
  'withdrawnAt',
];
const TERM = ['active', 'code', 'createdAt', 'id', 'kind', 'labelEn', 'labelZh'];
const POLICY = [
  'active',
  'category',
  'createdAt',
  'id',
  'name',
  'preferredDistricts',
  'preferredSectors',
  'quotas',
  'topic',
  'updatedAt',
];

const keys = (o: object): string[] => Object.keys(o).sort();

describe('meeting views', () => {
  let t: TestApp;
  let sec: Api;
  let deputy: Api;
  let deputyId: string;
  let meeting: any;

  beforeAll(async () => {
    t = await startTestApp();
    sec = await Api.login(t.baseUrl, 'secretary');
    deputy = await Api.login(t.baseUrl, 'deputy1');
    const mine = await deputy.all<any>('/api/invitations/mine');
    deputyId = mine[0].participantId;
    meeting = await sec.ok(
      sec.post('/api/meetings', {
        kind: 'executive',
        title: '视图测试会议',
        startsAt: '2036-03-01T01:00:00Z',
        endsAt: '2036-03-01T03:00:00Z',
        place: '第二会议室',
        agenda: [
          { title: '一', category: 'key_work', topics: ['industry'] },
          { title: '二', category: 'major_matter' },
        ],
      }),
      201,
    );
  });
  afterAll(async () => {
    await t.close();
  });

  it('meetings: created, read, listed, edited and moved along have the same fields', async () => {
    expect(keys(meeting)).toEqual(MEETING_WITH_AGENDA);
    expect(meeting.agenda.map(keys)).toEqual([AGENDA_ITEM, AGENDA_ITEM]);
    expect(keys(await sec.ok(sec.get(`/api/meetings/${meeting.id}`)))).toEqual(MEETING_WITH_AGENDA);
    const list = await sec.all<any>('/api/meetings');
    expect(list.length).toBeGreaterThanOrEqual(2);
    for (const m of list) expect(keys(m)).toEqual(MEETING);
    const edited = await sec.ok(
      sec.request<any>('PATCH', `/api/meetings/${meeting.id}`, { chair: '副县长' }),
    );
    expect(keys(edited)).toEqual(MEETING_WITH_AGENDA);
    expect(edited.chair).toBe('副县长');
    const scheduled = await sec.ok(sec.post(`/api/meetings/${meeting.id}/schedule`));
    expect(keys(scheduled)).toEqual(MEETING);
    expect(scheduled.status).toBe('scheduled');
  });

  it('agenda items: added, edited, attached, reordered and removed have the same fields', async () => {
    const added = await sec.ok(
      sec.post(`/api/meetings/${meeting.id}/agenda`, { title: '三', category: 'important_document' }),
      201,
    );
    expect(keys(added)).toEqual(AGENDA_ITEM);
    expect(added).toMatchObject({ meetingId: meeting.id, position: 3, state: 'pending', topics: [] });
    const edited = await sec.ok(
      sec.request<any>('PATCH', `/api/meetings/${meeting.id}/agenda/${added.id}`, { title: '三（修改）' }),
    );
    expect(keys(edited)).toEqual(AGENDA_ITEM);
    const attached = await sec.ok(
      sec.post(`/api/meetings/${meeting.id}/agenda/${added.id}/attachments`, {
        title: '材料',
        url: 'https://example.org/a.pdf',
      }),
      201,
    );
    expect(keys(attached)).toEqual(AGENDA_ITEM);
    expect(attached.attachments.map(keys)).toEqual([['id', 'title', 'url']]);
    const detached = await sec.ok(
      sec.request<any>(
        'DELETE',
        `/api/meetings/${meeting.id}/agenda/${added.id}/attachments/${attached.attachments[0].id}`,
      ),
    );
    expect(keys(detached)).toEqual(AGENDA_ITEM);
    expect(detached.attachments).toEqual([]);
    const ids = [added.id, ...meeting.agenda.map((a: any) => a.id)];
    // Reorder and remove answer the whole agenda in an envelope: {meetingId, items}.
    const reordered = await sec.ok<{ meetingId: string; items: any[] }>(
      sec.post(`/api/meetings/${meeting.id}/agenda/reorder`, { itemIds: ids }),
    );
    expect(keys(reordered)).toEqual(['items', 'meetingId']);
    expect(reordered.items.map((a) => a.id)).toEqual(ids);
    for (const a of reordered.items) expect(keys(a)).toEqual(AGENDA_ITEM);
    const rest = await sec.ok<{ meetingId: string; items: any[] }>(
      sec.request<any>('DELETE', `/api/meetings/${meeting.id}/agenda/${added.id}`),
    );
    expect(rest.items.map((a) => a.position)).toEqual([1, 2]);
    for (const a of rest.items) expect(keys(a)).toEqual(AGENDA_ITEM);
  });

  it('invitations: the secretariat sees why, the invitee does not, nobody sees the code hash', async () => {
    const invited = await sec.ok(
      sec.post(`/api/meetings/${meeting.id}/invitations`, { participantId: deputyId }),
      201,
    );
    expect(keys(invited)).toEqual([...INVITATION, 'explanation'].sort());
    const listed = await sec.all<any>(`/api/meetings/${meeting.id}/invitations`);
    expect(listed.map(keys)).toEqual([[...INVITATION, 'explanation', 'participantName'].sort()]);
    await sec.ok(sec.post(`/api/invitations/${invited.id}/check-in-code`), 201);
    const own = await deputy.all<any>(`/api/meetings/${meeting.id}/invitations`);
    expect(own.map(keys)).toEqual([[...INVITATION, 'participantName'].sort()]);
    const mine = await deputy.all<any>('/api/invitations/mine');
    for (const i of mine) expect(keys(i)).toEqual(INVITATION);
    const accepted = await deputy.ok(deputy.post(`/api/invitations/${invited.id}/accept`));
    expect(keys(accepted)).toEqual(INVITATION);
    const checkedIn = await deputy.ok(deputy.post(`/api/invitations/${invited.id}/check-in`));
    expect(keys(checkedIn)).toEqual(INVITATION);
    expect(checkedIn.status).toBe('checked_in');
  });

  it('taxonomy terms and invitation policies have the same fields', async () => {
    const terms = await sec.all<any>('/api/agenda-taxonomy');
    for (const term of terms) expect(keys(term)).toEqual(TERM);
    const term = await sec.ok(
      sec.post('/api/agenda-taxonomy', {
        kind: 'topic',
        code: 'views_topic',
        labelZh: '视图',
        labelEn: 'Views',
      }),
      201,
    );
    expect(keys(term)).toEqual(TERM);
    const policy = await sec.ok(
      sec.post('/api/invitation-policies', {
        name: '视图规则',
        category: 'key_work',
        quotas: [{ constituency: 'expert', count: 1 }],
      }),
      201,
    );
    expect(keys(policy)).toEqual(POLICY);
    expect(keys(await sec.ok(sec.get(`/api/invitation-policies/${policy.id}`)))).toEqual(POLICY);
    for (const p of await sec.all<any>('/api/invitation-policies')) expect(keys(p)).toEqual(POLICY);
    const updated = await sec.ok(
      sec.request<any>('PATCH', `/api/invitation-policies/${policy.id}`, { active: false }),
    );
    expect(keys(updated)).toEqual(POLICY);
    expect(updated.active).toBe(false);
  });
});
