import type { LiveEvent, MeetingSnapshot } from '@liexi/contracts';
import { applyEvents, fromSnapshot } from './meeting-state';

const at = '2026-11-22T02:00:00.000Z';
const snap: MeetingSnapshot = {
  meetingId: 'm',
  title: '常务会议',
  status: 'in_session',
  currentAgendaItemId: 'a1',
  agenda: [
    { id: 'a2', title: '二', category: 'major_matter', order: 2, state: 'pending' },
    { id: 'a1', title: '一', category: 'key_work', order: 1, state: 'current' },
  ],
  inputs: [],
  attendance: { present: 1, invited: 2 },
  speakers: { queue: [], current: null },
  openPolls: [],
};
const e = (seq: number, type: string, data: unknown): LiveEvent => ({ seq, type, at, data }) as LiveEvent;

describe('meeting state (snapshot + events)', () => {
  it('orders the agenda and applies inputs, co-signs, moderation, polls, attendance and the agenda', () => {
    const s0 = fromSnapshot(snap);
    expect(s0.agenda.map((a) => a.id)).toEqual(['a1', 'a2']);
    const input = {
      inputId: 'i1',
      agendaItemId: 'a1',
      kind: 'problem',
      text: '融资难',
      anonymous: true,
      author: null,
    };
    const s = applyEvents(s0, [
      e(2, 'input.submitted', input),
      e(3, 'input.submitted', input),
      e(4, 'input.submitted', { ...input, inputId: 'i2', text: '重复' }),
      e(5, 'input.cosigned', { inputId: 'i1', cosignCount: 1 }),
      e(6, 'input.moderated', { inputId: 'i2', action: 'merge', intoInputId: 'i1' }),
      e(7, 'poll.opened', {
        pollId: 'p',
        meetingId: 'm',
        kind: 'named',
        question: '同意吗',
        choices: ['同意', '反对'],
        targetUnitId: null,
        state: 'open',
        counts: { 同意: 0, 反对: 0 },
        voted: 0,
        entitled: 2,
      }),
      e(8, 'poll.tally', { pollId: 'p', counts: { 同意: 1, 反对: 0 }, voted: 1, entitled: 2 }),
      e(9, 'poll.closed', { pollId: 'p', counts: { 同意: 2, 反对: 0 }, voted: 2, entitled: 2 }),
      e(10, 'attendance.changed', { participantId: 'x', name: '张', status: 'checked_in', present: 2 }),
      e(11, 'agenda.advanced', {
        meetingId: 'm',
        currentAgendaItemId: 'a2',
        items: [
          { id: 'a1', state: 'done' },
          { id: 'a2', state: 'current' },
        ],
      }),
      e(12, 'meeting.adjourned', { meetingId: 'm', status: 'adjourned' }),
    ]);
    expect(s.inputs).toEqual([
      expect.objectContaining({ inputId: 'i1', author: null, anonymous: true, cosignCount: 1, seq: 2 }),
    ]);
    expect(s.polls[0]).toEqual(
      expect.objectContaining({ state: 'closed', voted: 2, counts: { 同意: 2, 反对: 0 } }),
    );
    expect(s.attendance).toEqual({ present: 2, invited: 2 });
    expect(s.currentAgendaItemId).toBe('a2');
    expect(s.agenda.map((a) => a.state)).toEqual(['done', 'current']);
    expect(s.status).toBe('adjourned');
    expect(s0.inputs).toEqual([]);
  });
});
