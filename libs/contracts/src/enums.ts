/** Shared vocabulary (see shared/DOMAIN.md). Values are the wire and database spellings. */

export const ROLES = ['secretariat', 'leader', 'unit_handler', 'attendee', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];

export const MEETING_KINDS = [
  'executive',
  'planning_review',
  'appraisal',
  'assignment',
  'progress',
  'symposium',
] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];

export const MEETING_STATUSES = [
  'draft',
  'scheduled',
  'in_session',
  'adjourned',
  'closed',
  'cancelled',
] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

export const AGENDA_CATEGORIES = ['key_work', 'major_matter', 'important_document'] as const;
export type AgendaCategory = (typeof AGENDA_CATEGORIES)[number];

export const AGENDA_ITEM_STATES = ['pending', 'current', 'done'] as const;
export type AgendaItemState = (typeof AGENDA_ITEM_STATES)[number];

export const CONSTITUENCIES = [
  'deputy',
  'cppcc_member',
  'citizen_rep',
  'entrepreneur_rep',
  'expert',
  'media',
] as const;
export type Constituency = (typeof CONSTITUENCIES)[number];

export const INVITATION_STATUSES = [
  'invited',
  'accepted',
  'declined',
  'checked_in',
  'attended',
  'absent',
  'withdrawn',
] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

export const INPUT_KINDS = ['problem', 'suggestion', 'opinion'] as const;
export type InputKind = (typeof INPUT_KINDS)[number];

export const INPUT_DISPOSITIONS = ['pending', 'converted', 'merged', 'answered', 'declined'] as const;
export type InputDisposition = (typeof INPUT_DISPOSITIONS)[number];

export const TASK_STATES = [
  'draft',
  'assigned',
  'returned',
  'accepted',
  'in_progress',
  'reply_drafted',
  'reply_signed',
  'reply_reviewed',
  'reply_approved',
  'replied',
  'evaluated',
  'reopened',
  'closed',
] as const;
export type TaskState = (typeof TASK_STATES)[number];

export const TASK_CLASSES = ['A', 'B', 'C'] as const;
export type TaskClass = (typeof TASK_CLASSES)[number];

export const URGENCIES = ['immediate', 'long_term'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const RATINGS = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;
export type Rating = (typeof RATINGS)[number];

export const UNIT_KINDS = ['department', 'town', 'enterprise', 'other'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** Supervision (issue 5): lights, re-inspection outcomes, deadline changes, alerts. */
export const LIGHTS = ['green', 'yellow', 'red'] as const;
export type SupervisionLight = (typeof LIGHTS)[number];

export const REINSPECTION_OUTCOMES = ['held', 'relapsed'] as const;
export type ReinspectionOutcome = (typeof REINSPECTION_OUTCOMES)[number];

export const CALENDAR_DAY_KINDS = ['holiday', 'workday'] as const;
export type CalendarDayKind = (typeof CALENDAR_DAY_KINDS)[number];

/** How an invitation came about: picked by an invitation policy, or added by hand. */
export const INVITATION_SOURCES = ['policy', 'manual'] as const;
export type InvitationSource = (typeof INVITATION_SOURCES)[number];

/** The configurable agenda taxonomy holds categories (事项类别) and topics (领域). */
export const TAXONOMY_KINDS = ['category', 'topic'] as const;
export type TaxonomyKind = (typeof TAXONOMY_KINDS)[number];
