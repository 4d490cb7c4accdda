import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  AGENDA_ITEM_STATES,
  type AgendaItemState,
  CONSTITUENCIES,
  type Constituency,
  INVITATION_SOURCES,
  INVITATION_STATUSES,
  type InvitationSource,
  type InvitationStatus,
  MEETING_KINDS,
  MEETING_STATUSES,
  type MeetingKind,
  type MeetingStatus,
  TAXONOMY_KINDS,
  type TaxonomyKind,
} from '@liexi/contracts';
import { ActorView } from '@liexi/platform';

/*
 * What the meetings context hands out: to its controllers and to other contexts. Plain data,
 * never an ORM entity; the entities stay inside the context (see meetings.mapping.ts). The
 * classes carry the OpenAPI document's schemas.
 */

const UUID = { type: String, format: 'uuid' } as const;
const DATE_TIME = { type: Date, format: 'date-time' } as const;
const NULLABLE_DATE_TIME = { type: Date, format: 'date-time', nullable: true } as const;

/** A link to a document for an agenda item (the file itself lives elsewhere). */
export class AgendaAttachment {
  @ApiProperty(UUID) id!: string;
  @ApiProperty({ example: '《优化营商环境若干措施》（送审稿）' }) title!: string;
  @ApiProperty({ format: 'uri', example: 'https://oa.example.gov.cn/docs/123.pdf' }) url!: string;
}

/** A meeting without its agenda: lists, lifecycle answers, and what other contexts read. */
export class MeetingSummaryView {
  @ApiProperty(UUID) id!: string;
  @ApiProperty({ enum: MEETING_KINDS, enumName: 'MeetingKind' }) kind!: MeetingKind;
  @ApiProperty({ example: '县政府第12次常务会议' }) title!: string;
  @ApiProperty(DATE_TIME) startsAt!: Date;
  @ApiProperty(DATE_TIME) endsAt!: Date;
  @ApiProperty({ type: String, nullable: true, example: '县政府第一会议室' }) place!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '县长' }) chair!: string | null;
  /** The chair's account (a leader): with the secretariat, the only one who steers the session. */
  @ApiProperty({ ...UUID, type: String, nullable: true }) chairAccountId!: string | null;
  @ApiProperty({ enum: MEETING_STATUSES, enumName: 'MeetingStatus' }) status!: MeetingStatus;
  @ApiProperty(DATE_TIME) createdAt!: Date;
  @ApiProperty(DATE_TIME) updatedAt!: Date;
}

/** 议题: an item on a meeting's agenda. */
export class AgendaItemView {
  @ApiProperty(UUID) id!: string;
  @ApiProperty(UUID) meetingId!: string;
  @ApiProperty({ minimum: 0 }) position!: number;
  @ApiProperty({ example: '医疗器械产业园建设推进' }) title!: string;
  /** `key_work`, `major_matter`, `important_document`, or a configured category. */
  @ApiProperty({ example: 'key_work', description: 'a category code of the agenda taxonomy' })
  category!: string;
  @ApiProperty({ type: [String], example: ['business_environment'] }) topics!: string[];
  @ApiProperty({ enum: AGENDA_ITEM_STATES, enumName: 'AgendaItemState' }) state!: AgendaItemState;
  @ApiProperty({ type: [AgendaAttachment] }) attachments!: AgendaAttachment[];
}

/** A meeting's whole agenda in order (at most 100 items), after a change to it. */
export class AgendaView {
  @ApiProperty(UUID) meetingId!: string;
  @ApiProperty({ type: [AgendaItemView] }) items!: AgendaItemView[];
}

/** A meeting with its agenda in order. */
export class MeetingView extends MeetingSummaryView {
  @ApiProperty({ type: [AgendaItemView] }) agenda!: AgendaItemView[];
}

/** Who may contribute: the meeting (share-locked by the check) and the contributor's person. */
export interface ContributorView {
  meeting: MeetingSummaryView;
  participantId: string;
}

export class BilingualText {
  @ApiProperty({ example: '按邀请规则“营商环境类重点工作”邀请' }) zh!: string;
  @ApiProperty({ example: 'invited by the policy 营商环境类重点工作' }) en!: string;
}

export class SkippedPerson {
  @ApiProperty(UUID) participantId!: string;
  @ApiProperty({ example: '李红梅' }) name!: string;
  @ApiProperty({ type: BilingualText }) reason!: BilingualText;
}

/** Why a person was invited: written when the invitation is made, never shows contact details. */
export class InvitationExplanation {
  @ApiProperty({ enum: INVITATION_SOURCES }) source!: InvitationSource;
  @ApiPropertyOptional(UUID) policyId?: string;
  @ApiPropertyOptional({ example: 'key_work' }) category?: string;
  @ApiPropertyOptional({ type: String, nullable: true }) topic?: string | null;
  @ApiPropertyOptional({ type: [String], description: 'the agenda items (titles) that called for the seat' })
  agendaItems?: string[];
  /** When the person was last given a seat before this meeting (ISO), or null for never. */
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) lastSeatAt?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) lastMeetingTitle?: string | null;
  @ApiPropertyOptional({ minimum: 0 }) previousSeats?: number;
  @ApiPropertyOptional() sectorMatch?: boolean;
  @ApiPropertyOptional() districtMatch?: boolean;
  @ApiProperty({ type: [BilingualText] }) reasons!: BilingualText[];
  /** People passed over for this seat and why (names only). */
  @ApiPropertyOptional({ type: [SkippedPerson] }) skipped?: SkippedPerson[];
}

/** An invitation as the api shows it: never the check-in code hash, never contact details. */
export class InvitationView {
  @ApiProperty(UUID) id!: string;
  @ApiProperty(UUID) meetingId!: string;
  @ApiProperty(UUID) participantId!: string;
  @ApiPropertyOptional({ example: '王建国' }) participantName?: string;
  @ApiProperty({ enum: CONSTITUENCIES, enumName: 'Constituency', nullable: true })
  constituency!: Constituency | null;
  @ApiProperty({ enum: INVITATION_STATUSES, enumName: 'InvitationStatus' }) status!: InvitationStatus;
  @ApiProperty({ enum: INVITATION_SOURCES }) source!: string;
  @ApiProperty({ ...UUID, nullable: true }) policyId!: string | null;
  /** Why this person was invited (secretariat only). */
  @ApiPropertyOptional({ type: InvitationExplanation, nullable: true, description: 'secretariat only' })
  explanation?: InvitationExplanation | null;
  @ApiProperty({ type: String, nullable: true, example: '当天在外地出差' }) declineReason!: string | null;
  @ApiProperty(NULLABLE_DATE_TIME) respondedAt!: Date | null;
  @ApiProperty(NULLABLE_DATE_TIME) checkedInAt!: Date | null;
  @ApiProperty(NULLABLE_DATE_TIME) withdrawnAt!: Date | null;
  @ApiProperty(NULLABLE_DATE_TIME) checkinCodeExpiresAt!: Date | null;
  @ApiProperty(NULLABLE_DATE_TIME) checkinCodeUsedAt!: Date | null;
  @ApiProperty(DATE_TIME) invitedAt!: Date;
}

/** The count of invitations marked by finalizing a meeting's attendance. */
export class AttendanceFinalized {
  @ApiProperty({ minimum: 0, description: 'checked in → attended' }) attended!: number;
  @ApiProperty({ minimum: 0, description: 'the rest → absent' }) absent!: number;
}

export class AppliedPolicy {
  @ApiProperty(UUID) policyId!: string;
  @ApiProperty({ example: '营商环境类重点工作' }) name!: string;
  @ApiProperty({ example: 'key_work' }) category!: string;
  @ApiProperty({ type: String, nullable: true }) topic!: string | null;
  @ApiProperty({ type: [String], description: 'the agenda items that made it apply' }) agendaItems!: string[];
}

export class SeatShortfall {
  @ApiProperty(UUID) policyId!: string;
  @ApiProperty({ enum: CONSTITUENCIES, enumName: 'Constituency' }) constituency!: Constituency;
  @ApiProperty({ minimum: 1 }) missing!: number;
}

/** What generating invitations did: who was invited, seats kept, seats no one could fill. */
export class GenerationResult {
  @ApiProperty(UUID) meetingId!: string;
  /** Policies that apply to the agenda, with the items that made them apply. */
  @ApiProperty({ type: [AppliedPolicy] }) policies!: AppliedPolicy[];
  @ApiProperty({ type: [InvitationView] }) created!: InvitationView[];
  /** Seats already held by existing invitations (kept as they are). */
  @ApiProperty({ minimum: 0, description: 'seats already held by existing invitations' }) kept!: number;
  /** Seats no eligible person could fill. */
  @ApiProperty({ type: [SeatShortfall] }) shortfalls!: SeatShortfall[];
  @ApiProperty({ type: [SkippedPerson] }) skipped!: SkippedPerson[];
}

/** A check-in code for an invitation, to print as a QR code. */
export class CheckInCode {
  @ApiProperty(UUID) invitationId!: string;
  @ApiProperty({ example: 'Xk3pQ9' }) code!: string;
  /** Print this as a QR code on the invitation. */
  @ApiProperty({ example: 'liexi:checkin:0b7c…:Xk3pQ9', description: 'print this as a QR code' })
  qrPayload!: string;
  @ApiProperty({ type: String, format: 'date-time' }) expiresAt!: string;
}

export class TabletSession {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ type: String, format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ type: ActorView }) actor!: ActorView;
}

export class CodeCheckInResult {
  @ApiProperty({ type: InvitationView }) invitation!: InvitationView;
  /** A session for the attendee's tablet, valid until the meeting ends; null without an attendee account. */
  @ApiProperty({
    type: TabletSession,
    nullable: true,
    description: 'a session for the tablet until the meeting ends; null without an attendee account',
  })
  session!: TabletSession | null;
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
export class TaxonomyTermView {
  @ApiProperty(UUID) id!: string;
  @ApiProperty({ enum: TAXONOMY_KINDS }) kind!: TaxonomyKind;
  @ApiProperty({ example: 'business_environment' }) code!: string;
  @ApiProperty({ example: '营商环境' }) labelZh!: string;
  @ApiProperty({ example: 'Business environment' }) labelEn!: string;
  @ApiProperty() active!: boolean;
  @ApiProperty(DATE_TIME) createdAt!: Date;
}

export class PolicyQuota {
  @ApiProperty({ enum: CONSTITUENCIES, enumName: 'Constituency' }) constituency!: Constituency;
  @ApiProperty({ minimum: 1, maximum: 50 }) count!: number;
}

/** 邀请规则: for agenda items of a category (and optionally a topic), whom to invite and how many. */
export class InvitationPolicyView {
  @ApiProperty(UUID) id!: string;
  @ApiProperty({ example: '营商环境类重点工作' }) name!: string;
  @ApiProperty({ example: 'key_work' }) category!: string;
  /** Null: every item of the category; otherwise only items carrying this topic. */
  @ApiProperty({ type: String, nullable: true, description: 'null: every item of the category' }) topic!:
    string | null;
  @ApiProperty({ type: [PolicyQuota] }) quotas!: PolicyQuota[];
  @ApiProperty({ type: [String], example: ['医药', '金融'] }) preferredSectors!: string[];
  @ApiProperty({ type: [String], example: ['城关镇'] }) preferredDistricts!: string[];
  @ApiProperty() active!: boolean;
  @ApiProperty(DATE_TIME) createdAt!: Date;
  @ApiProperty(DATE_TIME) updatedAt!: Date;
}
