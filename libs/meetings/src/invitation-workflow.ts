import type { InvitationStatus, MeetingStatus } from '@liexi/contracts';

export const INVITATION_ACTIONS = [
  'accept',
  'decline',
  'check_in',
  'mark_attended',
  'mark_absent',
  'withdraw',
] as const;
export type InvitationAction = (typeof INVITATION_ACTIONS)[number];

/**
 * invited → accepted / declined (with reason) → checked_in → attended, or absent; the
 * secretariat may withdraw an invitation that has not been used yet.
 */
export function invitationTarget(from: InvitationStatus, action: InvitationAction): InvitationStatus | null {
  switch (action) {
    case 'accept':
      return from === 'invited' || from === 'declined' ? 'accepted' : null;
    case 'decline':
      return from === 'invited' || from === 'accepted' ? 'declined' : null;
    case 'check_in':
      return from === 'invited' || from === 'accepted' ? 'checked_in' : null;
    case 'mark_attended':
      return from === 'checked_in' || from === 'absent' ? 'attended' : null;
    case 'mark_absent':
      return from === 'invited' || from === 'accepted' || from === 'checked_in' ? 'absent' : null;
    case 'withdraw':
      return from === 'invited' || from === 'accepted' || from === 'declined' ? 'withdrawn' : null;
  }
}

export function allowedInvitationActions(from: InvitationStatus): InvitationAction[] {
  return INVITATION_ACTIONS.filter((a) => invitationTarget(from, a) !== null);
}

/**
 * The meeting must be in one of these statuses for the action: replies and withdrawals while it
 * is being planned or running, check-in while it can still be attended, attendance marks once
 * it has adjourned or closed.
 */
export function meetingAllowsInvitationAction(meeting: MeetingStatus, action: InvitationAction): boolean {
  switch (action) {
    case 'accept':
    case 'decline':
    case 'withdraw':
      return meeting === 'draft' || meeting === 'scheduled' || meeting === 'in_session';
    case 'check_in':
      return (
        meeting === 'draft' || meeting === 'scheduled' || meeting === 'in_session' || meeting === 'adjourned'
      );
    case 'mark_attended':
    case 'mark_absent':
      return meeting === 'adjourned' || meeting === 'closed';
  }
}

/** Invitations that hold a seat (and so can double-book a person or be notified of changes). */
export const SEAT_HOLDING: readonly InvitationStatus[] = ['invited', 'accepted', 'checked_in', 'attended'];
