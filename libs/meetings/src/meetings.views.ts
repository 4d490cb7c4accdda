import type {
  AgendaItemState,
  Constituency,
  InvitationSource,
  InvitationStatus,
  MeetingKind,
  MeetingStatus,
  TaxonomyKind,
} from '@liexi/contracts';

/*
 * What the meetings context hands out: to its controllers and to other contexts. Plain data,
 * never an ORM entity; the entities stay inside the context (see meetings.mapping.ts).
 */

/** A link to a document for an agenda item (the file itself lives elsewhere). */
export interface AgendaAttachment {
  id: string;
  title: string;
  url: string;
}

/** A meeting without its agenda: lists, lifecycle answers, and what other contexts read. */
export interface MeetingSummaryView {
  id: string;
  kind: MeetingKind;
  title: string;
  startsAt: Date;
  endsAt: Date;
  place: string | null;
  chair: string | null;
  /** The chair's account (a leader): with the secretariat, the only one who steers the session. */
  chairAccountId: string | null;
  status: MeetingStatus;
  createdAt: Date;
  updatedAt: Date;
}

/** 议题: an item on a meeting's agenda. */
export interface AgendaItemView {
  id: string;
  meetingId: string;
  position: number;
  title: string;
  /** `key_work`, `major_matter`, `important_document`, or a configured category. */
  category: string;
  topics: string[];
  state: AgendaItemState;
  attachments: AgendaAttachment[];
}

/** A meeting with its agenda in order. */
export interface MeetingView extends MeetingSummaryView {
  agenda: AgendaItemView[];
}

/** Who may contribute: the meeting (share-locked by the check) and the contributor's person. */
export interface ContributorView {
  meeting: MeetingSummaryView;
  participantId: string;
}

/** Why a person was invited: written when the invitation is made, never shows contact details. */
export interface InvitationExplanation {
  source: InvitationSource;
  policyId?: string;
  category?: string;
  topic?: string | null;
  agendaItems?: string[];
  /** When the person was last given a seat before this meeting (ISO), or null for never. */
  lastSeatAt?: string | null;
  lastMeetingTitle?: string | null;
  previousSeats?: number;
  sectorMatch?: boolean;
  districtMatch?: boolean;
  reasons: { zh: string; en: string }[];
  /** People passed over for this seat and why (names only). */
  skipped?: { participantId: string; name: string; reason: { zh: string; en: string } }[];
}

/** An invitation as the api shows it: never the check-in code hash, never contact details. */
export interface InvitationView {
  id: string;
  meetingId: string;
  participantId: string;
  participantName?: string;
  constituency: Constituency | null;
  status: InvitationStatus;
  source: string;
  policyId: string | null;
  /** Why this person was invited (secretariat only). */
  explanation?: InvitationExplanation | null;
  declineReason: string | null;
  respondedAt: Date | null;
  checkedInAt: Date | null;
  withdrawnAt: Date | null;
  checkinCodeExpiresAt: Date | null;
  checkinCodeUsedAt: Date | null;
  invitedAt: Date;
}

/** A person's seat-holding booking in another meeting that overlaps the one being planned. */
export interface OverlappingBooking {
  meetingId: string;
  title: string;
  startsAt: Date;
}

/** Person-times of invitation rows (see AttendanceService.invitationCounts). */
export interface FigureCounts {
  invited: number;
  declined: number;
  attended: number;
  absent: number;
  distinctInvited: number;
  distinctAttended: number;
}

export interface InvitationCountRows {
  total: FigureCounts;
  byConstituency: (FigureCounts & { constituency: string })[];
  byCategory: (FigureCounts & { category: string })[];
  byMonth: (FigureCounts & { month: string })[];
}

/** A term of the agenda taxonomy: a category (事项类别) or a topic (领域), with zh/en labels. */
export interface TaxonomyTermView {
  id: string;
  kind: TaxonomyKind;
  code: string;
  labelZh: string;
  labelEn: string;
  active: boolean;
  createdAt: Date;
}

export interface PolicyQuota {
  constituency: Constituency;
  count: number;
}

/** 邀请规则: for agenda items of a category (and optionally a topic), whom to invite and how many. */
export interface InvitationPolicyView {
  id: string;
  name: string;
  category: string;
  /** Null: every item of the category; otherwise only items carrying this topic. */
  topic: string | null;
  quotas: PolicyQuota[];
  preferredSectors: string[];
  preferredDistricts: string[];
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}
