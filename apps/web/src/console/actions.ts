import type { Role } from '@liexi/contracts';
import type { TaskItem } from '../api/types';

/** Who may take each step (the server's table, `task-workflow.ts`; it also checks unit and head). */
export const ACTION_ROLES: Record<string, readonly Role[]> = {
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
  reopen: ['secretariat', 'supervisor'],
  close: ['secretariat'],
};

export const myActions = (item: TaskItem, role: Role): string[] =>
  item.allowedActions.filter((a) => ACTION_ROLES[a]?.includes(role));
