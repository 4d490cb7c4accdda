import type {
  AgendaItemState,
  Constituency,
  InvitationStatus,
  MeetingKind,
  MeetingStatus,
  Rating,
  Role,
  SupervisionLight,
  TaskState,
} from '@liexi/contracts';

/*
 * The REST shapes the screens read, written from the OpenAPI document (`/api/docs-json`). When the
 * typed client generated from that document lands (issue 11), these become re-exports of its
 * `components['schemas']` and `rest.ts` switches to it: the screens import only from here.
 */

export interface Actor {
  accountId: string;
  username: string;
  role: Role;
  unitId: string | null;
  participantId: string | null;
}

export interface Session {
  accessToken: string;
  expiresAt: string;
  actor: Actor;
}

/** Every list answers `{items, nextCursor}` (or, before issue 11, a bare array). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface MeetingSummary {
  id: string;
  kind: MeetingKind;
  title: string;
  startsAt: string;
  endsAt: string;
  place: string | null;
  chair: string | null;
  status: MeetingStatus;
}

export interface AgendaItem {
  id: string;
  meetingId: string;
  position: number;
  title: string;
  category: string;
  topics: string[];
  state: AgendaItemState;
}

export interface Meeting extends MeetingSummary {
  agenda: AgendaItem[];
}

export interface Reason {
  zh: string;
  en: string;
}

export interface Invitation {
  id: string;
  meetingId: string;
  participantId: string;
  participantName?: string;
  constituency: Constituency | null;
  status: InvitationStatus;
  source: string;
  explanation?: { reasons: Reason[]; skipped?: { name: string; reason: Reason }[] } | null;
  checkedInAt: string | null;
}

export interface GenerationResult {
  created: Invitation[];
  kept: number;
  shortfalls: { policyId: string; constituency: Constituency; missing: number }[];
  skipped: { participantId: string; name: string; reason: Reason }[];
}

export interface CheckInCode {
  invitationId: string;
  code: string;
  qrPayload: string;
  expiresAt: string;
}

export interface CodeCheckIn {
  invitation: Invitation;
  session: Session | null;
}

export interface TaxonomyTerm {
  id: string;
  kind: 'category' | 'topic';
  code: string;
  labelZh: string;
  labelEn: string;
  active: boolean;
}

export interface InvitationPolicy {
  id: string;
  name: string;
  category: string;
  topic: string | null;
  quotas: { constituency: Constituency; count: number }[];
  active: boolean;
}

export interface Unit {
  id: string;
  name: string;
  kind: string;
  headName: string | null;
}

export interface Participant {
  id: string;
  name: string;
  constituency: Constituency;
  sector: string | null;
  district: string | null;
  active: boolean;
}

export interface TaskItem {
  id: string;
  meetingId: string | null;
  problem: string;
  leadUnitId: string;
  cooperatingUnitIds: string[];
  measure: string;
  deadline: string;
  deadlinePending: boolean;
  light: SupervisionLight | null;
  closeOutStandard: string;
  taskClass: string;
  urgency: string;
  state: TaskState;
  reopenCount: number;
  returnReason: string | null;
  sourceInputIds: string[];
  replies: {
    id: string;
    round: number;
    body: string;
    approved: boolean;
    sentAt: string | null;
    reviews: { level: string; decision: string; comment: string | null; at: string }[];
  }[];
  evaluations: { round: number; rating: Rating; comment: string | null; at: string }[];
  deadlineChanges: {
    id: string;
    kind: string;
    requestedDeadline: string;
    reason: string;
    status: string;
  }[];
  allowedActions: string[];
}

export interface NewTaskItem {
  meetingId?: string;
  inputIds?: string[];
  problem: string;
  leadUnitId: string;
  cooperatingUnitIds?: string[];
  measure: string;
  deadline: string;
  closeOutStandard: string;
  taskClass: 'A' | 'B' | 'C';
  classReason?: string;
  urgency?: 'immediate' | 'long_term';
  assign?: boolean;
}

export interface SupervisionDashboard {
  today: string;
  lights: Record<SupervisionLight, number>;
  awaitingDeadline: number;
  pendingExtensions: number;
  dueReinspections: number;
  overdue: {
    id: string;
    problem: string;
    leadUnitId: string;
    deadline: string;
    workingDaysOverdue: number;
  }[];
  units: {
    unitId: string;
    unitName: string;
    total: number;
    open: number;
    closed: number;
    green: number;
    yellow: number;
    red: number;
  }[];
}

export interface LedgerRow {
  taskId: string;
  meeting: string | null;
  problem: string;
  proposers: string[];
  anonymousProposers: number;
  leadUnit: string;
  cooperatingUnits: string[];
  measure: string;
  deadline: string;
  closeOutStandard: string;
  taskClass: string;
  state: string;
  reopenCount: number;
  reply: string | null;
  ratings: string[];
  closedAt: string | null;
}

export interface AttendanceFigure {
  invited: number;
  declined: number;
  attended: number;
  absent: number;
  attendanceRate: number | null;
}

export interface AttendanceFigures {
  total: AttendanceFigure;
  byConstituency: (AttendanceFigure & { constituency: string })[];
  byMonth: (AttendanceFigure & { month: string })[];
}
