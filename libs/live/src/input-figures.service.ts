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

/** 意见建议按处理方式: every input of the session, by what became of it. */
export const INPUT_FIGURES: FigureDefinition[] = [
  {
    code: 'inputs_by_disposition',
    name: { zh: '意见建议处理情况', en: 'Inputs by disposition' },
    definition: {
      zh: '会上提出的意见建议（含被隐藏、被合并的），按处理方式：待处理、转为任务、合并到任务、直接答复、不予采纳。期间按提出时间。',
      en: 'Inputs raised in sessions (hidden and merged ones included), by disposition: pending, converted into an item, merged into an item, answered directly, declined. The period is on when they were raised.',
    },
    counts: 'inputs',
    table: 'input i',
    base: 'true',
    parts: [
      { code: 'pending', name: { zh: '待处理', en: 'pending' }, where: `i.disposition = 'pending'` },
      { code: 'converted', name: { zh: '转为任务', en: 'converted' }, where: `i.disposition = 'converted'` },
      { code: 'merged', name: { zh: '合并办理', en: 'merged' }, where: `i.disposition = 'merged'` },
      { code: 'answered', name: { zh: '直接答复', en: 'answered' }, where: `i.disposition = 'answered'` },
      { code: 'declined', name: { zh: '不予采纳', en: 'declined' }, where: `i.disposition = 'declined'` },
    ],
    numerator: ['converted', 'merged', 'answered'],
  },
];

/** An input behind a figure: never its author. */
export interface FigureInputView {
  id: string;
  meetingId: string;
  agendaItemId: string | null;
  kind: string;
  text: string;
  anonymous: boolean;
  disposition: string;
  createdAt: string;
}

/** The inputs figure (filters: period, meeting, meeting kind, category, constituency of the author). */
@Injectable()
export class InputFiguresService {
  constructor(private readonly db: Db) {}

  definitions(): FigureDefinition[] {
    return INPUT_FIGURES;
  }

  async tallies(filter: FigureFilter): Promise<Record<string, FigureTally>> {
    const def = INPUT_FIGURES[0];
    const w = this.where(filter);
    const [row] = await this.db.query<Record<string, string>>(
      `SELECT ${tallyColumns(def)} FROM input i WHERE ${w.sql}`,
      w.params,
    );
    return { [def.code]: tallyOf(def, row) };
  }

  async items(
    part: string,
    filter: FigureFilter,
    limit: number,
    cursor?: string,
  ): Promise<Page<FigureInputView>> {
    const def = INPUT_FIGURES[0];
    const predicate = partPredicate(def, part);
    if (predicate === null)
      throw invalid(`figure ${def.code} has no part ${part}`, { part: ['unknown part'] });
    const w = this.where(filter);
    const order: KeysetOrder = { column: 'i.created_at', type: 'timestamptz', id: 'i.id' };
    const after = keysetCondition(order, cursor, w.params.length + 1);
    const params = [...w.params, ...after.params, limit + 1];
    const rows = await this.db.query<{
      id: string;
      meeting_id: string;
      agenda_item_id: string | null;
      kind: string;
      text: string;
      anonymous: boolean;
      disposition: string;
      created_at: Date;
      keyset_value: string;
    }>(
      `SELECT i.id, i.meeting_id, i.agenda_item_id, i.kind, i.text, i.anonymous, i.disposition, i.created_at,
              i.created_at::text AS keyset_value
       FROM input i WHERE ${w.sql} AND (${predicate}) ${after.sql ? `AND ${after.sql}` : ''}
       ORDER BY ${keysetOrderBy(order)} LIMIT $${params.length}`,
      params,
    );
    const page = pageOf(rows, limit, (r) => [r.keyset_value, r.id]);
    return {
      nextCursor: page.nextCursor,
      items: page.items.map((r) => ({
        id: r.id,
        meetingId: r.meeting_id,
        agendaItemId: r.agenda_item_id,
        kind: r.kind,
        text: r.text,
        anonymous: r.anonymous,
        disposition: r.disposition,
        createdAt: r.created_at.toISOString(),
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
    if (filter.from) clauses.push(`i.created_at >= ${p(filter.from)}`);
    if (filter.to) clauses.push(`i.created_at < ${p(filter.to)}`);
    if (filter.meetingId) clauses.push(`i.meeting_id = ${p(filter.meetingId)}`);
    if (filter.meetingIds) clauses.push(`i.meeting_id = ANY(${p(filter.meetingIds)}::uuid[])`);
    if (filter.agendaItemIds) clauses.push(`i.agenda_item_id = ANY(${p(filter.agendaItemIds)}::uuid[])`);
    if (filter.participantIds)
      clauses.push(`i.author_participant_id = ANY(${p(filter.participantIds)}::uuid[])`);
    return { sql: clauses.join(' AND '), params };
  }
}
