import { Inject, Injectable } from '@nestjs/common';
import { DirectoryService } from '@liexi/directory';
import {
  type Actor,
  APP_CONFIG,
  type AppConfig,
  AuditService,
  CONSTITUENCY_TEXT,
  DomainException,
  invalid,
  NotificationService,
  Db,
} from '@liexi/platform';
import { In } from 'typeorm';
import type { AgendaItemEntity } from './agenda-item.entity';
import { AgendaTaxonomyService } from './agenda-taxonomy.service';
import { inviteeNotice } from './invitation-notices';
import { InvitationPolicyEntity } from './invitation-policy.entity';
import { SEAT_HOLDING } from './invitation-workflow';
import { InvitationEntity } from './invitation.entity';
import { InvitationsService } from './invitations.service';
import type { MeetingEntity } from './meeting.entity';
import { MeetingRecords } from './meeting-records';
import { toInvitationView } from './meetings.mapping';
import type { GenerationResult, InvitationExplanation } from './meetings.views';

type Reason = { zh: string; en: string };

/** A person the directory offers for a seat. */
type Candidate = Awaited<ReturnType<DirectoryService['activeParticipants']>>[number];

interface SeatHistory {
  lastAt: Date | null;
  lastTitle: string | null;
  seats: number;
}

const fmtDate = (d: Date, timeZone: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);

/**
 * Generates invitations from a meeting's agenda: for each agenda item, the policies of its
 * category (and topic) ask for so many people of each constituency. Preferred sectors and
 * districts come first, then whoever sat in least recently (never-invited first), so seats
 * rotate. Nobody is booked into an overlapping meeting. Every pick stores its explanation.
 * Re-running fills only seats not yet held, never duplicating an invitation.
 */
@Injectable()
export class InvitationPlannerService {
  constructor(
    private readonly db: Db,
    private readonly records: MeetingRecords,
    private readonly invitations: InvitationsService,
    private readonly directory: DirectoryService,
    private readonly audit: AuditService,
    private readonly notifications: NotificationService,
    private readonly taxonomy: AgendaTaxonomyService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async generate(actor: Actor, meetingId: string): Promise<GenerationResult> {
    return this.db.transaction(async () => {
      await this.invitations.lockPlanning();
      const meeting = await this.records.require(meetingId);
      if (meeting.status !== 'draft' && meeting.status !== 'scheduled')
        throw new DomainException(
          'INVALID_TRANSITION',
          `invitations are generated for draft or scheduled meetings (this one is ${meeting.status})`,
        );
      const agenda = await this.records.agenda(meetingId);
      if (agenda.length === 0) throw invalid('the meeting has no agenda items', { agenda: ['empty'] });
      const applicable = await this.applicablePolicies(agenda);
      const existing = await this.db.manager.find(InvitationEntity, { where: { meetingId } });
      const taken = new Set(existing.map((e) => e.participantId));
      const holders = existing.filter((e) => SEAT_HOLDING.includes(e.status));

      // Seats per (policy, constituency); existing holders fill them first.
      const slots = applicable.flatMap(({ policy }) =>
        policy.quotas.map((q) => ({ policy, constituency: q.constituency, count: q.count, filled: 0 })),
      );
      const used = new Set<string>();
      for (const pass of ['own', 'any'] as const) {
        for (const slot of slots) {
          for (const h of holders) {
            if (slot.filled >= slot.count) break;
            if (used.has(h.id) || h.constituency !== slot.constituency) continue;
            if (pass === 'own' && h.policyId !== slot.policy.id) continue;
            used.add(h.id);
            slot.filled++;
          }
        }
      }
      const kept = used.size;

      const constituencies = [...new Set(slots.map((s) => s.constituency))];
      const candidates = await this.directory.activeParticipants(constituencies);
      const ids = candidates.map((c) => c.id);
      const busy = await this.invitations.overlappingBookings(meeting, ids);
      const history = await this.seatHistory(meetingId, ids);

      const result: GenerationResult = {
        meetingId,
        policies: applicable.map(({ policy, items }) => ({
          policyId: policy.id,
          name: policy.name,
          category: policy.category,
          topic: policy.topic,
          agendaItems: items.map((i) => i.title),
        })),
        created: [],
        kept,
        shortfalls: [],
        skipped: [],
      };
      // Explanations name categories, topics and constituencies, never their codes.
      const labels = await this.taxonomy.labels();
      const label = (kind: string, code: string): Reason =>
        labels.get(`${kind}:${code}`) ?? { zh: code, en: code.replace(/_/g, ' ') };
      const terms = (p: InvitationPolicyEntity): Reason => {
        const c = label('category', p.category);
        const t = p.topic ? label('topic', p.topic) : null;
        return { zh: t ? `${c.zh} / ${t.zh}` : c.zh, en: t ? `${c.en} / ${t.en}` : c.en };
      };
      const skippedIds = new Set<string>();
      const picks: { person: Candidate; explanation: InvitationExplanation; policyId: string }[] = [];

      for (const slot of slots) {
        let missing = slot.count - slot.filled;
        if (missing <= 0) continue;
        const { policy } = slot;
        const items = applicable.find((a) => a.policy.id === policy.id)?.items ?? [];
        const pool = candidates
          .filter((c) => c.constituency === slot.constituency && !taken.has(c.id))
          .map((c) => ({
            person: c,
            sector: c.sector !== null && policy.preferredSectors.includes(c.sector),
            district: c.district !== null && policy.preferredDistricts.includes(c.district),
            hist: history.get(c.id) ?? { lastAt: null, lastTitle: null, seats: 0 },
          }))
          .sort(
            (a, b) =>
              Number(b.sector) * 2 + Number(b.district) - (Number(a.sector) * 2 + Number(a.district)) ||
              (a.hist.lastAt?.getTime() ?? -Infinity) - (b.hist.lastAt?.getTime() ?? -Infinity) ||
              a.hist.seats - b.hist.seats ||
              a.person.name.localeCompare(b.person.name, 'zh') ||
              a.person.id.localeCompare(b.person.id),
          );
        const passedOver: NonNullable<InvitationExplanation['skipped']> = [];
        for (const c of pool) {
          if (missing <= 0) break;
          const clash = busy.get(c.person.id);
          if (clash && clash.length > 0) {
            const reason = {
              zh: `时间冲突：已受邀列席「${clash[0].title}」`,
              en: `busy: already invited to the overlapping meeting "${clash[0].title}"`,
            };
            passedOver.push({ participantId: c.person.id, name: c.person.name, reason });
            if (!skippedIds.has(c.person.id)) {
              skippedIds.add(c.person.id);
              result.skipped.push({ participantId: c.person.id, name: c.person.name, reason });
            }
            continue;
          }
          taken.add(c.person.id);
          missing--;
          const tz = this.config.timeZone;
          const reasons: Reason[] = [
            {
              zh: `按邀请规则「${policy.name}」（${terms(policy).zh}）邀请${CONSTITUENCY_TEXT[slot.constituency]['zh-CN']} ${slot.count} 名`,
              en: `policy "${policy.name}" (${terms(policy).en}) asks for ${slot.count} × ${CONSTITUENCY_TEXT[slot.constituency].en}`,
            },
            c.hist.lastAt
              ? {
                  zh: `上次列席：${fmtDate(c.hist.lastAt, tz)}「${c.hist.lastTitle ?? ''}」，共 ${c.hist.seats} 次`,
                  en: `last seat ${fmtDate(c.hist.lastAt, tz)} ("${c.hist.lastTitle ?? ''}"), ${c.hist.seats} seat(s) so far`,
                }
              : { zh: '此前从未受邀列席', en: 'never invited before' },
          ];
          if (c.sector)
            reasons.push({ zh: `行业匹配：${c.person.sector}`, en: `preferred sector: ${c.person.sector}` });
          if (c.district)
            reasons.push({
              zh: `区域匹配：${c.person.district}`,
              en: `preferred district: ${c.person.district}`,
            });
          picks.push({
            person: c.person,
            policyId: policy.id,
            explanation: {
              source: 'policy',
              policyId: policy.id,
              category: policy.category,
              topic: policy.topic,
              agendaItems: items.map((i) => i.title),
              lastSeatAt: c.hist.lastAt?.toISOString() ?? null,
              lastMeetingTitle: c.hist.lastTitle,
              previousSeats: c.hist.seats,
              sectorMatch: c.sector,
              districtMatch: c.district,
              reasons,
              skipped: passedOver.slice(0, 10),
            },
          });
        }
        if (missing > 0)
          result.shortfalls.push({ policyId: policy.id, constituency: slot.constituency, missing });
      }

      for (const pick of picks) {
        const inv = await this.db.manager.save(
          this.db.manager.create(InvitationEntity, {
            meetingId,
            participantId: pick.person.id,
            constituency: pick.person.constituency,
            status: 'invited',
            source: 'policy',
            policyId: pick.policyId,
            explanation: pick.explanation,
          }),
        );
        await this.audit.record(actor, {
          action: 'invitation.generated',
          entityType: 'invitation',
          entityId: inv.id,
          after: { meetingId, participantId: inv.participantId, policyId: inv.policyId },
        });
        if (meeting.status !== 'draft') await this.notifyInvited(meeting, inv, pick.person);
        result.created.push(toInvitationView(inv, actor, pick.person.name));
      }
      return result;
    });
  }

  private async notifyInvited(
    meeting: MeetingEntity,
    inv: InvitationEntity,
    person: Candidate,
  ): Promise<void> {
    await this.notifications.enqueue(
      inviteeNotice('invited', meeting, person, {
        timeZone: this.config.timeZone,
        dedupe: `invited:${inv.id}`,
      }),
    );
  }

  /** Active policies matching the agenda: topic-specific before general, then agenda order. */
  private async applicablePolicies(
    agenda: AgendaItemEntity[],
  ): Promise<{ policy: InvitationPolicyEntity; items: AgendaItemEntity[] }[]> {
    const policies = await this.db.manager.find(InvitationPolicyEntity, {
      where: { active: true, category: In([...new Set(agenda.map((a) => a.category))]) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return policies
      .map((policy) => ({
        policy,
        items: agenda.filter(
          (a) => a.category === policy.category && (policy.topic === null || a.topics.includes(policy.topic)),
        ),
      }))
      .filter((p) => p.items.length > 0)
      .sort(
        (a, b) =>
          Number(b.policy.topic !== null) - Number(a.policy.topic !== null) ||
          a.items[0].position - b.items[0].position,
      );
  }

  /** Each person's seats in other (non-cancelled) meetings: the latest and how many. */
  private async seatHistory(meetingId: string, ids: string[]): Promise<Map<string, SeatHistory>> {
    const out = new Map<string, SeatHistory>();
    if (ids.length === 0) return out;
    const rows: { participant_id: string; last_at: Date; last_title: string; seats: number }[] =
      await this.db.manager.query(
        `SELECT i.participant_id, max(m.starts_at) AS last_at,
                (array_agg(m.title ORDER BY m.starts_at DESC))[1] AS last_title, count(*)::int AS seats
         FROM invitation i JOIN meeting m ON m.id = i.meeting_id
         WHERE i.participant_id = ANY($1::uuid[]) AND m.id <> $2 AND m.status <> 'cancelled'
           AND i.status IN ('invited','accepted','checked_in','attended','absent')
         GROUP BY i.participant_id`,
        [ids, meetingId],
      );
    for (const r of rows)
      out.set(r.participant_id, { lastAt: new Date(r.last_at), lastTitle: r.last_title, seats: r.seats });
    return out;
  }
}
