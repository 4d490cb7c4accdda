import { Api } from './app';

/** The seeded in-session demo meeting, with every demo attendee invited and checked in. */
export async function demoMeetingId(api: Api): Promise<string> {
  const meetings = await api.all<{ id: string; status: string }>('/api/meetings');
  const live = meetings.find((m) => m.status === 'in_session');
  if (!live) throw new Error('no demo meeting in session');
  return live.id;
}
