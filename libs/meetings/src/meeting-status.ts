import type { MeetingStatus } from '@liexi/contracts';

export const MEETING_ACTIONS = ['schedule', 'open', 'adjourn', 'close', 'cancel'] as const;
export type MeetingAction = (typeof MEETING_ACTIONS)[number];

/** draft → scheduled → in_session → adjourned → closed, plus cancelled (from draft or scheduled). */
export function meetingTarget(from: MeetingStatus, action: MeetingAction): MeetingStatus | null {
  switch (action) {
    case 'schedule':
      return from === 'draft' ? 'scheduled' : null;
    case 'open':
      return from === 'scheduled' || from === 'adjourned' ? 'in_session' : null;
    case 'adjourn':
      return from === 'in_session' ? 'adjourned' : null;
    case 'close':
      return from === 'adjourned' ? 'closed' : null;
    case 'cancel':
      return from === 'draft' || from === 'scheduled' ? 'cancelled' : null;
  }
}

export function allowedMeetingActions(from: MeetingStatus): MeetingAction[] {
  return MEETING_ACTIONS.filter((a) => meetingTarget(from, a) !== null);
}

/** A cancelled or closed meeting cannot be edited. */
export const isMeetingEditable = (status: MeetingStatus): boolean =>
  status !== 'cancelled' && status !== 'closed';
