import type { Role, TaskState } from '@liexi/contracts';

/** Every step an actor may take on a task item. */
export const TASK_ACTIONS = [
  'assign',
  'accept',
  'return',
  'start',
  'draft_reply',
  'send_back_reply',
  'approve_reply',
  'send_reply',
  'evaluate',
  'reopen',
  'close',
] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

/**
 * The closed loop as a pure table: 交办 assign → 接收 accept → 整改 start → 答复 draft/approve/send →
 * 评价 evaluate → 销号 close, with 退回 return (unit refuses; secretariat reassigns) and 重办
 * reopen (unsatisfied proposer or relapse at re-inspection → second handling).
 * Returns the state the action leads to from `from`, or null when it is not allowed.
 */
export function taskTarget(from: TaskState, action: TaskAction): TaskState | null {
  switch (action) {
    case 'assign':
      return from === 'draft' || from === 'returned' ? 'assigned' : null;
    case 'accept':
      return from === 'assigned' ? 'accepted' : null;
    case 'return':
      return from === 'assigned' ? 'returned' : null;
    case 'start':
      return from === 'accepted' || from === 'reopened' ? 'in_progress' : null;
    case 'draft_reply':
      return from === 'accepted' || from === 'in_progress' ? 'reply_drafted' : null;
    case 'send_back_reply':
      return from === 'reply_drafted' ? 'in_progress' : null;
    case 'approve_reply':
      return from === 'reply_drafted' ? 'reply_approved' : null;
    case 'send_reply':
      return from === 'reply_approved' ? 'replied' : null;
    case 'evaluate':
      return from === 'replied' ? 'evaluated' : null;
    case 'reopen':
      return from === 'replied' || from === 'evaluated' || from === 'closed' ? 'reopened' : null;
    case 'close':
      return from === 'evaluated' || from === 'replied' ? 'closed' : null;
  }
}

/** Who may take each step (the service adds the per-item checks: own unit, own proposal). */
export const TASK_ACTION_ROLES: Record<TaskAction, readonly Role[]> = {
  assign: ['secretariat'],
  accept: ['unit_handler'],
  return: ['unit_handler'],
  start: ['unit_handler'],
  draft_reply: ['unit_handler'],
  send_back_reply: ['leader'],
  approve_reply: ['leader'],
  send_reply: ['secretariat'],
  evaluate: ['attendee'],
  reopen: ['attendee', 'secretariat', 'supervisor'],
  close: ['secretariat'],
};

export function allowedTaskActions(from: TaskState): TaskAction[] {
  return TASK_ACTIONS.filter((a) => taskTarget(from, a) !== null);
}
