import { INVITATION_STATUSES, MEETING_STATUSES, type InvitationStatus } from '@liexi/contracts';
import {
  INVITATION_ACTIONS,
  allowedInvitationActions,
  invitationTarget,
  meetingAllowsInvitationAction,
  type InvitationAction,
} from './invitation-workflow';

/** Written out by hand: every legal (from → to) pair per action; everything else is illegal. */
const EXPECTED: Record<InvitationAction, ReadonlyArray<readonly [InvitationStatus, InvitationStatus]>> = {
  accept: [
    ['invited', 'accepted'],
    ['declined', 'accepted'],
  ],
  decline: [
    ['invited', 'declined'],
    ['accepted', 'declined'],
  ],
  check_in: [
    ['invited', 'checked_in'],
    ['accepted', 'checked_in'],
  ],
  mark_attended: [
    ['checked_in', 'attended'],
    ['absent', 'attended'],
  ],
  mark_absent: [
    ['invited', 'absent'],
    ['accepted', 'absent'],
    ['checked_in', 'absent'],
  ],
  withdraw: [
    ['invited', 'withdrawn'],
    ['accepted', 'withdrawn'],
    ['declined', 'withdrawn'],
  ],
};

const expected = (from: InvitationStatus, action: InvitationAction): InvitationStatus | null =>
  EXPECTED[action].find(([f]) => f === from)?.[1] ?? null;

describe('invitation workflow', () => {
  const cases = INVITATION_STATUSES.flatMap((from) =>
    INVITATION_ACTIONS.map((action) => [from, action, expected(from, action)] as const),
  );

  it('covers 7 statuses × 6 actions', () => {
    expect(cases).toHaveLength(42);
  });

  test.each(cases)('%s --%s--> %s', (from, action, to) => {
    expect(invitationTarget(from, action)).toBe(to);
  });

  it('withdrawn and attended are terminal for the invitee', () => {
    expect(allowedInvitationActions('withdrawn')).toEqual([]);
    expect(allowedInvitationActions('attended')).toEqual([]);
  });

  it('an invitee cannot check in after declining without accepting again', () => {
    expect(allowedInvitationActions('declined')).toEqual(['accept', 'withdraw']);
  });

  it('the happy path ends attended', () => {
    let s: InvitationStatus = 'invited';
    for (const a of ['accept', 'check_in', 'mark_attended'] as const) {
      const next = invitationTarget(s, a);
      expect(next).not.toBeNull();
      s = next as InvitationStatus;
    }
    expect(s).toBe('attended');
  });

  it('attendance is marked only after the meeting adjourns', () => {
    const when = MEETING_STATUSES.filter((m) => meetingAllowsInvitationAction(m, 'mark_attended'));
    expect(when).toEqual(['adjourned', 'closed']);
    expect(MEETING_STATUSES.filter((m) => meetingAllowsInvitationAction(m, 'check_in'))).toEqual([
      'draft',
      'scheduled',
      'in_session',
      'adjourned',
    ]);
    expect(meetingAllowsInvitationAction('cancelled', 'accept')).toBe(false);
  });
});
