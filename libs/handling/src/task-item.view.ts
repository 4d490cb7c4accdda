import type { Rating, SupervisionLight, TaskState } from '@liexi/contracts';
import type { TaskAction } from './task-workflow';

/*
 * What the handling context hands out: views, never its entities. Controllers and other
 * contexts (the ledger in insights) see only these shapes.
 */

export interface TaskItemView {
  id: string;
  meetingId: string | null;
  agendaItemId: string | null;
  problem: string;
  leadUnitId: string;
  cooperatingUnitIds: string[];
  responsiblePerson: string | null;
  measure: string;
  deadline: string;
  /** Reopened and waiting for the secretariat to set the deadline of the second handling. */
  deadlinePending: boolean;
  /** Computed from the deadline, the holiday calendar and today (never stored). */
  light: SupervisionLight | null;
  closeOutStandard: string;
  taskClass: string;
  classReason: string | null;
  urgency: string;
  state: TaskState;
  reopenCount: number;
  returnReason: string | null;
  suggestedUnitId: string | null;
  closedAt: string | null;
  publishedAt: string | null;
  /** 交办: first assignment (null while a draft). */
  assignedAt: string | null;
  createdAt: string;
  sourceInputIds: string[];
  /** Named proposers only; anonymous ones are counted, never identified. */
  proposers: { participantIds: string[]; anonymousCount: number };
  replies: {
    id: string;
    round: number;
    body: string;
    approved: boolean;
    sentAt: string | null;
    reviews: { level: string; decision: string; comment: string | null; at: string }[];
  }[];
  evaluations: { round: number; rating: Rating; comment: string | null; at: string }[];
  progress: { text: string; percent: number; attachments: string[]; at: string }[];
  opinions: {
    unitId: string;
    dueDate: string;
    body: string | null;
    submittedAt: string | null;
    waivedAt: string | null;
    waiveReason: string | null;
  }[];
  deadlineChanges: {
    id: string;
    kind: string;
    previousDeadline: string;
    requestedDeadline: string;
    reason: string;
    status: string;
    decisionComment: string | null;
    at: string;
  }[];
  reinspections: { round: number; dueAt: string; outcome: string | null; note: string | null }[];
  allowedActions: TaskAction[];
}

export interface MeetingTaskList {
  meetingId: string;
  counts: { total: number; closed: number; open: number; overdue: number };
  items: {
    id: string;
    problem: string;
    leadUnitId: string;
    state: TaskState;
    deadline: string;
    light: SupervisionLight | null;
    percent: number | null;
    lastProgressAt: string | null;
  }[];
}

export interface PublicTaskView {
  id: string;
  meetingId: string | null;
  problem: string;
  leadUnit: string;
  measure: string;
  deadline: string;
  taskClass: string;
  classReason: string | null;
  state: TaskState;
  reply: string | null;
  publishedAt: string;
  closedAt: string | null;
}
