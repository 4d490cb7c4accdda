import type { Actor } from '@liexi/platform';
import type { AgendaItemEntity } from './agenda-item.entity';
import type { AgendaTaxonomyEntity } from './agenda-taxonomy.entity';
import type { InvitationPolicyEntity } from './invitation-policy.entity';
import type { InvitationEntity } from './invitation.entity';
import type { MeetingEntity } from './meeting.entity';
import type {
  AgendaItemView,
  InvitationPolicyView,
  InvitationView,
  MeetingSummaryView,
  MeetingView,
  TaxonomyTermView,
} from './meetings.views';

/*
 * Entity → view, field by field: a column added to an entity stays inside the context until a
 * view names it. Internal to the meetings context (not exported from its index).
 */

export const toMeetingSummary = (m: MeetingEntity): MeetingSummaryView => ({
  id: m.id,
  kind: m.kind,
  title: m.title,
  startsAt: m.startsAt,
  endsAt: m.endsAt,
  place: m.place,
  chair: m.chair,
  chairAccountId: m.chairAccountId,
  status: m.status,
  createdAt: m.createdAt,
  updatedAt: m.updatedAt,
});

export const toAgendaItemView = (a: AgendaItemEntity): AgendaItemView => ({
  id: a.id,
  meetingId: a.meetingId,
  position: a.position,
  title: a.title,
  category: a.category,
  topics: a.topics,
  state: a.state,
  attachments: a.attachments,
});

export const toMeetingView = (m: MeetingEntity, agenda: AgendaItemView[]): MeetingView => ({
  ...toMeetingSummary(m),
  agenda,
});

/** The explanation only for the secretariat; the participant's name when the caller knows it. */
export function toInvitationView(
  inv: InvitationEntity,
  actor: Actor,
  participantName?: string,
): InvitationView {
  const view: InvitationView = {
    id: inv.id,
    meetingId: inv.meetingId,
    participantId: inv.participantId,
    constituency: inv.constituency,
    status: inv.status,
    source: inv.source,
    policyId: inv.policyId,
    declineReason: inv.declineReason,
    respondedAt: inv.respondedAt,
    checkedInAt: inv.checkedInAt,
    withdrawnAt: inv.withdrawnAt,
    checkinCodeExpiresAt: inv.checkinCodeExpiresAt,
    checkinCodeUsedAt: inv.checkinCodeUsedAt,
    invitedAt: inv.invitedAt,
  };
  if (participantName !== undefined) view.participantName = participantName;
  if (actor.role === 'secretariat') view.explanation = inv.explanation;
  return view;
}

export const toTaxonomyTermView = (t: AgendaTaxonomyEntity): TaxonomyTermView => ({
  id: t.id,
  kind: t.kind,
  code: t.code,
  labelZh: t.labelZh,
  labelEn: t.labelEn,
  active: t.active,
  createdAt: t.createdAt,
});

export const toInvitationPolicyView = (p: InvitationPolicyEntity): InvitationPolicyView => ({
  id: p.id,
  name: p.name,
  category: p.category,
  topic: p.topic,
  quotas: p.quotas,
  preferredSectors: p.preferredSectors,
  preferredDistricts: p.preferredDistricts,
  active: p.active,
  createdAt: p.createdAt,
  updatedAt: p.updatedAt,
});
