import { MEETING_STATUSES, type MeetingStatus } from '@liexi/contracts';
import {
  MEETING_ACTIONS,
  allowedMeetingActions,
  isMeetingEditable,
  meetingTarget,
  type MeetingAction,
} from './meeting-status';

/**
 * Written out by hand from the doc comment: draft → scheduled → in_session → adjourned → closed,
 * an adjourned meeting may be opened again, and cancelled only from draft or scheduled.
 */
const EXPECTED: Record<MeetingAction, ReadonlyArray<readonly [MeetingStatus, MeetingStatus]>> = {
  schedule: [['draft', 'scheduled']],
  open: [
    ['scheduled', 'in_session'],
    ['adjourned', 'in_session'],
  ],
  adjourn: [['in_session', 'adjourned']],
  close: [['adjourned', 'closed']],
  cancel: [
    ['draft', 'cancelled'],
    ['scheduled', 'cancelled'],
  ],
};

function expectedTarget(from: MeetingStatus, action: MeetingAction): MeetingStatus | null {
  const pair = EXPECTED[action].find(([f]) => f === from);
  return pair ? pair[1] : null;
}

const EDITABLE: Record<MeetingStatus, boolean> = {
  draft: true,
  scheduled: true,
  in_session: true,
  adjourned: true,
  closed: false,
  cancelled: false,
};

describe('meeting status', () => {
  it('the expected table covers every action and only known statuses', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...MEETING_ACTIONS].sort());
    for (const pairs of Object.values(EXPECTED)) {
      for (const [from, to] of pairs) {
        expect(MEETING_STATUSES).toContain(from);
        expect(MEETING_STATUSES).toContain(to);
      }
    }
  });

  describe('meetingTarget for every status × action', () => {
    const cases = MEETING_STATUSES.flatMap((from) =>
      MEETING_ACTIONS.map((action) => [from, action, expectedTarget(from, action)] as const),
    );

    it('has 30 cases', () => {
      expect(cases).toHaveLength(30);
    });

    test.each(cases)('%s --%s--> %s', (from, action, to) => {
      expect(meetingTarget(from, action)).toBe(to);
    });
  });

  describe('allowedMeetingActions', () => {
    test.each(
      MEETING_STATUSES.map((s) => [s, MEETING_ACTIONS.filter((a) => expectedTarget(s, a) !== null)] as const),
    )('from %s allows %j', (from, actions) => {
      expect(allowedMeetingActions(from)).toEqual(actions);
    });

    it('closed and cancelled are terminal', () => {
      expect(allowedMeetingActions('closed')).toEqual([]);
      expect(allowedMeetingActions('cancelled')).toEqual([]);
    });

    it('a meeting in session cannot be cancelled or closed without adjourning', () => {
      expect(allowedMeetingActions('in_session')).toEqual(['adjourn']);
    });
  });

  it('the normal life of a meeting ends closed', () => {
    let status: MeetingStatus = 'draft';
    for (const action of ['schedule', 'open', 'adjourn', 'open', 'adjourn', 'close'] as const) {
      const next = meetingTarget(status, action);
      expect([action, next]).not.toEqual([action, null]);
      status = next as MeetingStatus;
    }
    expect(status).toBe('closed');
  });

  describe('isMeetingEditable', () => {
    test.each(MEETING_STATUSES.map((s) => [s, EDITABLE[s]] as const))('%s → %s', (status, editable) => {
      expect(isMeetingEditable(status)).toBe(editable);
    });
  });
});
