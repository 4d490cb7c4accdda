import { Injectable } from '@nestjs/common';
import {
  Db,
  keysetCondition,
  type KeysetOrder,
  keysetOrderBy,
  type FigureDefinition,
  type FigureFilter,
  type FigureTally,
  invalid,
  type Page,
  pageOf,
  partPredicate,
  tallyColumns,
  tallyOf,
} from '@liexi/platform';

/** 列席人次: invitations of meetings not cancelled, withdrawn ones left out. */
export const PERSON_TIME_FIGURES: FigureDefinition[] = [
  {
    code: 'person_times',
    name: { zh: '邀请列席人次', en: 'Person-times invited and attended' },
    definition: {
      zh: '未取消会议中未撤回的邀请（人次），按结果：已列席（签到或确认出席）、缺席、婉拒、待定；列席率 = 已列席 ÷ 邀请人次。期间按会议开始时间，界别按受邀时的界别。',
      en: 'Invitations not withdrawn to meetings not cancelled (person-times), by outcome: sat in (checked in or marked attended), absent, declined, awaiting; sit-in rate = sat in ÷ invited. The period is on the meeting start, the constituency as invited.',
    },
    counts: 'person_times',
    table: 'invitation i JOIN meeting m ON m.id = i.meeting_id',
    base: `m.status <> 'cancelled' AND i.status <> 'withdrawn'`,
    parts: [
      {
        code: 'attended',
        name: { zh: '已列席', en: 'sat in' },
        where: `i.status IN ('checked_in', 'attended')`,
      },
      { code: 'absent', name: { zh: '缺席', en: 'absent' }, where: `i.status = 'absent'` },
      { code: 'declined', name: { zh: '婉拒', en: 'declined' }, where: `i.status = 'declined'` },
      {
        code: 'awaiting',
        name: { zh: '待定', en: 'awaiting' },
        where: `i.status IN ('invited', 'accepted')`,
      },
    ],
    numerator: ['attended'],
  },
];

export interface MeetingBrief {
  id: string;
  title: string;
  kind: string;
  startsAt: string;
  status: string;
}

export interface FigurePersonTimeView {
  invitationId: string;
  meetingId: string;
  meetingTitle: string;
  participantId: string;
  constituency: string | null;
  status: string;
}

/** Person-times for the figures, and the meeting dimensions other contexts filter by. */
@Injectable()
export class MeetingFiguresService {
  constructor(private readonly db: Db) {}

  definitions(): FigureDefinition[] {
    return PERSON_TIME_FIGURES;
  }

  /** Meeting ids of a kind and agenda item ids of a category, for the other contexts' filters. */
  async resolve(q: {
    meetingKind?: string;
    category?: string;
  }): Promise<{ meetingIds?: string[]; agendaItemIds?: string[] }> {
    const out: { meetingIds?: string[]; agendaItemIds?: string[] } = {};
    if (q.meetingKind)
      out.meetingIds = (
        await this.db.query<{ id: string }>('SELECT id FROM meeting WHERE kind = $1', [q.meetingKind])
      ).map((r) => r.id);
    if (q.category)
      out.agendaItemIds = (
        await this.db.query<{ id: string }>('SELECT id FROM agenda_item WHERE category = $1', [q.category])
      ).map((r) => r.id);
    return out;
  }

  async briefs(ids: string[]): Promise<Map<string, MeetingBrief>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.query<{
      id: string;
      title: string;
      kind: string;
      starts_at: Date;
      status: string;
    }>('SELECT id, title, kind, starts_at, status FROM meeting WHERE id = ANY($1::uuid[])', [
      [...new Set(ids)],
    ]);
    return new Map(
      rows.map((r) => [
        r.id,
        { id: r.id, title: r.title, kind: r.kind, startsAt: r.starts_at.toISOString(), status: r.status },
      ]),
    );
  }

  async tallies(filter: FigureFilter): Promise<Record<string, FigureTally>> {
    const def = PERSON_TIME_FIGURES[0];
    const w = this.where(filter);
    const [row] = await this.db.query<Record<string, string>>(
      `SELECT ${tallyColumns(def)} FROM ${def.table} WHERE ${def.base} AND ${w.sql}`,
      w.params,
    );
    return { [def.code]: tallyOf(def, row) };
  }

  async items(
    part: string,
    filter: FigureFilter,
    limit: number,
    cursor?: string,
  ): Promise<Page<FigurePersonTimeView>> {
    const def = PERSON_TIME_FIGURES[0];
    const predicate = partPredicate(def, part);
    if (predicate === null)
      throw invalid(`figure ${def.code} has no part ${part}`, { part: ['unknown part'] });
    const w = this.where(filter);
    const order: KeysetOrder = { column: 'm.starts_at', type: 'timestamptz', id: 'i.id' };
    const after = keysetCondition(order, cursor, w.params.length + 1);
    const params = [...w.params, ...after.params, limit + 1];
    const rows = await this.db.query<{
      id: string;
      meeting_id: string;
      title: string;
      participant_id: string;
      constituency: string | null;
      status: string;
      starts_at: Date;
      keyset_value: string;
    }>(
      `SELECT i.id, i.meeting_id, m.title, i.participant_id, i.constituency, i.status, m.starts_at,
              m.starts_at::text AS keyset_value
       FROM ${def.table} WHERE ${def.base} AND ${w.sql} AND (${predicate}) ${after.sql ? `AND ${after.sql}` : ''}
       ORDER BY ${keysetOrderBy(order)} LIMIT $${params.length}`,
      params,
    );
    const page = pageOf(rows, limit, (r) => [r.keyset_value, r.id]);
    return {
      nextCursor: page.nextCursor,
      items: page.items.map((r) => ({
        invitationId: r.id,
        meetingId: r.meeting_id,
        meetingTitle: r.title,
        participantId: r.participant_id,
        constituency: r.constituency,
        status: r.status,
      })),
    };
  }

  private where(filter: FigureFilter): { sql: string; params: unknown[] } {
    const params: unknown[] = [];
    const p = (v: unknown): string => {
      params.push(v);
      return `$${params.length}`;
    };
    const clauses = ['true'];
    if (filter.from) clauses.push(`m.starts_at >= ${p(filter.from)}`);
    if (filter.to) clauses.push(`m.starts_at < ${p(filter.to)}`);
    if (filter.meetingId) clauses.push(`m.id = ${p(filter.meetingId)}`);
    if (filter.meetingKind) clauses.push(`m.kind = ${p(filter.meetingKind)}`);
    if (filter.category)
      clauses.push(
        `EXISTS (SELECT 1 FROM agenda_item a WHERE a.meeting_id = m.id AND a.category = ${p(filter.category)})`,
      );
    if (filter.constituency) clauses.push(`i.constituency = ${p(filter.constituency)}`);
    return { sql: clauses.join(' AND '), params };
  }
}
