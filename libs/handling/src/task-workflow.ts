import type { Role, TaskState } from '@liexi/contracts';

/** Every step an actor may take on a task item. */
export const TASK_ACTIONS = [
  'assign',
  'accept',
  'return',
  'start',
  'draft_reply',
  'sign_reply',
  'review_reply',
  'approve_reply',
  'send_back_reply',
  'send_reply',
  'evaluate',
  'reopen',
  'close',
] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

/**
 * The closed loop as a pure table: 交办 assign → 接收 accept → 整改 start → 答复 draft → 分级审核
 * (unit head signs → government office reviews → leader approves; any level sends it back to
 * drafting) → send to the proposers → 评价 evaluate → 销号 close, with 退回 return (the unit
 * refuses; the secretariat reassigns, possibly to another lead unit) and 重办 reopen
 * (unsatisfied proposer or relapse at 回头看 → second handling).
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
    case 'sign_reply':
      return from === 'reply_drafted' ? 'reply_signed' : null;
    case 'review_reply':
      return from === 'reply_signed' ? 'reply_reviewed' : null;
    case 'approve_reply':
      return from === 'reply_reviewed' ? 'reply_approved' : null;
    case 'send_back_reply':
      return from === 'reply_drafted' || from === 'reply_signed' || from === 'reply_reviewed'
        ? 'in_progress'
        : null;
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

/** Who may take each step (the service adds the per-item checks: own unit, unit head, own proposal). */
export const TASK_ACTION_ROLES: Record<TaskAction, readonly Role[]> = {
  assign: ['secretariat'],
  accept: ['unit_handler'],
  return: ['unit_handler'],
  start: ['unit_handler'],
  draft_reply: ['unit_handler'],
  sign_reply: ['unit_handler'],
  review_reply: ['secretariat'],
  approve_reply: ['leader'],
  send_back_reply: ['unit_handler', 'secretariat', 'leader'],
  send_reply: ['secretariat'],
  evaluate: ['attendee'],
  reopen: ['attendee', 'secretariat', 'supervisor'],
  close: ['secretariat'],
};

/** The approval level a reply is waiting on in each state, and the role that acts there. */
export type ReplyLevel = 'sign' | 'review' | 'approve';
export function replyLevel(state: TaskState): { level: ReplyLevel; role: Role; unitHead: boolean } | null {
  switch (state) {
    case 'reply_drafted':
      return { level: 'sign', role: 'unit_handler', unitHead: true };
    case 'reply_signed':
      return { level: 'review', role: 'secretariat', unitHead: false };
    case 'reply_reviewed':
      return { level: 'approve', role: 'leader', unitHead: false };
    case 'draft':
    case 'assigned':
    case 'returned':
    case 'accepted':
    case 'in_progress':
    case 'reply_approved':
    case 'replied':
    case 'evaluated':
    case 'reopened':
    case 'closed':
      return null;
  }
}

export function allowedTaskActions(from: TaskState): TaskAction[] {
  return TASK_ACTIONS.filter((a) => taskTarget(from, a) !== null);
}

/** States in which the lead unit is handling the item: these carry a supervision light. */
export const HANDLING_STATES: readonly TaskState[] = [
  'assigned',
  'returned',
  'accepted',
  'in_progress',
  'reply_drafted',
  'reply_signed',
  'reply_reviewed',
  'reply_approved',
  'reopened',
];
