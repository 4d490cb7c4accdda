import { Injectable } from '@nestjs/common';
import {
  Db,
  decodeCursor,
  type FigureDefinition,
  type FigureFilter,
  type FigureTally,
  invalid,
  keysetCondition,
  type KeysetOrder,
  keysetOrderBy,
  type Page,
  pageOf,
  partPredicate,
} from '@liexi/platform';
import { constituencyBit } from './task-figure-facts';
import { BY_TODAY, SUMMARY_COLUMNS } from './task-figure-summary';
import { OVERDUE, TASK_FIGURES } from './task-figures';
import { WorkCalendarService } from './work-calendar.service';
import { workingDaysUntil } from './working-days';

/** One item behind a figure (a drill-down row). */
export interface FigureItemView {
  id: string;
  problem: string;
  leadUnitId: string;
  meetingId: string | null;
  taskClass: string;
  state: string;
  deadline: string;
  assignedAt: string;
  repliedAt: string | null;
  repliedOnTime: boolean | null;
  firstRating: string | null;
  finalRating: string | null;
  reopenCount: number;
}

/** Per lead unit: every figure's counts, and overdue working days. */
export interface UnitFigureRow {
  unitId: string;
  tallies: Record<string, FigureTally>;
  overdueDays: number;
}

export interface MeetingListRow {
  meetingId: string;
  total: number;
  byState: Record<string, number>;
  closed: number;
  overdue: number;
}

/** Drill-downs: by first assignment, then id (the facts' index); the cursor keeps microseconds. */
const ASSIGNED_ORDER: KeysetOrder = { column: 'f.assigned_at', type: 'timestamptz', id: 'f.task_item_id' };

const SCORE = ['unsatisfied', 'basically_satisfied', 'satisfied'];
const rating = (s: number | null): string | null => (s === null ? null : (SCORE[s] ?? null));

/**
 * The task-item figures (TASK_FIGURES) computed from `task_figure_fact` on every request: the
 * counts with the figure filters, the items behind any part (keyset pages), and the same per
 * lead unit and per meeting. Only this context names its tables.
 */
@Injectable()
export class HandlingFiguresService {
  constructor(
    private readonly db: Db,
    private readonly calendar: WorkCalendarService,
  ) {}

  definitions(): FigureDefinition[] {
    return TASK_FIGURES;
  }

  /** Every task figure's counts under `filter`, with the overdue working days. */
  async tallies(
    filter: FigureFilter,
  ): Promise<{ tallies: Record<string, FigureTally>; overdueDays: number }> {
    const rows = await this.grouped(filter, null);
    const days = await this.overdueDays(filter, null);
    return { tallies: rows.get('') ?? this.empty(), overdueDays: days.get('') ?? 0 };
  }

  /** The same per lead unit (units with assigned items only). */
  async byUnit(filter: FigureFilter): Promise<UnitFigureRow[]> {
    const rows = await this.grouped(filter, 'f.lead_unit_id');
    const days = await this.overdueDays(filter, 'f.lead_unit_id');
    return [...rows.entries()].map(([unitId, tallies]) => ({
      unitId,
      tallies,
      overdueDays: days.get(unitId) ?? 0,
    }));
  }

  /** 一会一单: per meeting, its items by state (keyset by meeting id). */
  async meetingLists(filter: FigureFilter, limit: number, cursor?: string): Promise<Page<MeetingListRow>> {
    const after = decodeCursor(cursor, 1);
    const w = this.where(filter);
    const overdue = this.today(OVERDUE, w);
    const params = [...w.params, after ? String(after[0]) : null, limit + 1];
    const n = w.params.length;
    const rows = await this.db.query<{ meeting_id: string; state: string; n: string; overdue: string }>(
      `WITH m AS (
         SELECT DISTINCT f.meeting_id FROM task_figure_fact f
         WHERE ${w.sql} AND f.meeting_id IS NOT NULL AND ($${n + 1}::uuid IS NULL OR f.meeting_id > $${n + 1})
         ORDER BY f.meeting_id LIMIT $${n + 2})
       SELECT f.meeting_id, f.state, count(*) AS n,
              count(*) FILTER (WHERE ${overdue}) AS overdue
       FROM task_figure_fact f JOIN m ON m.meeting_id = f.meeting_id
       WHERE ${w.sql} GROUP BY f.meeting_id, f.state ORDER BY f.meeting_id`,
      params,
    );
    const byMeeting = new Map<string, MeetingListRow>();
    for (const r of rows) {
      const m = byMeeting.get(r.meeting_id) ?? {
        meetingId: r.meeting_id,
        total: 0,
        byState: {},
        closed: 0,
        overdue: 0,
      };
      m.byState[r.state] = Number(r.n);
      m.total += Number(r.n);
      if (r.state === 'closed') m.closed += Number(r.n);
      m.overdue += Number(r.overdue);
      byMeeting.set(r.meeting_id, m);
    }
    return pageOf([...byMeeting.values()], limit, (m) => [m.meetingId]);
  }

  /** The items behind one part (or `numerator` / `denominator`) of a figure, by assignment time. */
  async items(
    code: string,
    part: string,
    filter: FigureFilter,
    limit: number,
    cursor?: string,
  ): Promise<Page<FigureItemView>> {
    const def = TASK_FIGURES.find((d) => d.code === code);
    const predicate = def ? partPredicate(def, part) : null;
    if (!def || predicate === null)
      throw invalid(`figure ${code} has no part ${part}`, {
        part: [`one of numerator, denominator, ${def?.parts.map((p) => p.code).join(', ') ?? ''}`],
      });
    const w = this.where(filter);
    const base = this.today(def.base, w);
    const wanted = this.today(predicate, w);
    const after = keysetCondition(ASSIGNED_ORDER, cursor, w.params.length + 1);
    const params = [...w.params, ...after.params, limit + 1];
    const rows = await this.db.query<{
      id: string;
      problem: string;
      lead_unit_id: string;
      meeting_id: string | null;
      task_class: string;
      state: string;
      deadline: string;
      assigned_at: Date;
      replied_at: Date | null;
      replied_on_time: boolean | null;
      first_score: number | null;
      final_score: number | null;
      reopen_count: number;
      keyset_value: string;
    }>(
      `SELECT t.id, t.problem, f.lead_unit_id, f.meeting_id, f.task_class, f.state, f.deadline::text AS deadline,
              f.assigned_at, f.replied_at, f.replied_on_time, f.first_score, f.final_score, f.reopen_count,
              f.assigned_at::text AS keyset_value
       FROM task_figure_fact f JOIN task_item t ON t.id = f.task_item_id
       WHERE ${w.sql} AND (${base}) AND (${wanted}) ${after.sql ? `AND ${after.sql}` : ''}
       ORDER BY ${keysetOrderBy(ASSIGNED_ORDER)} LIMIT $${params.length}`,
      params,
    );
    const page = pageOf(rows, limit, (r) => [r.keyset_value, r.id]);
    return {
      nextCursor: page.nextCursor,
      items: page.items.map((r) => ({
        id: r.id,
        problem: r.problem,
        leadUnitId: r.lead_unit_id,
        meetingId: r.meeting_id,
        taskClass: r.task_class,
        state: r.state,
        deadline: r.deadline,
        assignedAt: r.assigned_at.toISOString(),
        repliedAt: r.replied_at?.toISOString() ?? null,
        repliedOnTime: r.replied_on_time,
        firstRating: rating(r.first_score),
        finalRating: rating(r.final_score),
        reopenCount: r.reopen_count,
      })),
    };
  }

  /**
   * Ids of the items under `filter` for the ledger (台账): assigned items by assignment time,
   * then drafts (unless a period is asked, which only assigned items have), keyset-paged.
   */
  async ledgerIds(filter: FigureFilter, limit: number, cursor?: string): Promise<Page<string>> {
    const after = decodeCursor(cursor, 2);
    const drafts = !filter.from && !filter.to;
    const w = this.where(filter, drafts);
    const p = (v: unknown): string => {
      w.params.push(v);
      return `$${w.params.length}`;
    };
    const at = after?.[0] ?? null;
    const id = after?.[1] ?? null;
    const max = p(limit + 1);
    // Each part starts where the index (assigned_at, task_item_id) can: the assigned items after
    // the cursor by row comparison, then the drafts (assigned_at null) by id.
    const parts: string[] = [];
    if (id === null || at !== null) {
      const from =
        at === null ? '' : ` AND (f.assigned_at, f.task_item_id) > (${p(at)}::timestamptz, ${p(id)}::uuid)`;
      parts.push(
        `(SELECT f.task_item_id AS id, f.assigned_at, f.assigned_at::text AS keyset_value FROM task_figure_fact f
          WHERE ${w.sql} AND f.assigned_at IS NOT NULL${from} ORDER BY f.assigned_at, f.task_item_id LIMIT ${max})`,
      );
    }
    if (drafts) {
      const from = at === null && id !== null ? ` AND f.task_item_id > ${p(id)}::uuid` : '';
      parts.push(
        `(SELECT f.task_item_id AS id, f.assigned_at, NULL::text AS keyset_value FROM task_figure_fact f
          WHERE ${w.sql} AND f.assigned_at IS NULL${from} ORDER BY f.task_item_id LIMIT ${max})`,
      );
    }
    if (parts.length === 0) return { items: [], nextCursor: null };
    const rows = await this.db.query<{ id: string; keyset_value: string | null }>(
      `SELECT x.id, x.keyset_value FROM (${parts.join(' UNION ALL ')}) x
       ORDER BY x.assigned_at ASC NULLS LAST, x.id LIMIT ${max}`,
      w.params,
    );
    const page = pageOf(rows, limit, (r) => [r.keyset_value, r.id]);
    return { items: page.items.map((r) => r.id), nextCursor: page.nextCursor };
  }

  private empty(): Record<string, FigureTally> {
    return Object.fromEntries(
      TASK_FIGURES.map((d) => [
        d.code,
        { total: 0, parts: Object.fromEntries(d.parts.map((p) => [p.code, 0])) },
      ]),
    );
  }

  /**
   * Every figure's total and parts (SUMMARY_COLUMNS, in that order), grouped by `group` (or
   * one group ''). Without a group or a unit filter the whole UTC days of the period come from
   * `task_figure_summary` — stored counts, and for open items the today-dependent predicates
   * evaluated on its rows — and only the hours at the period's ends from the facts.
   */
  private async grouped(
    filter: FigureFilter,
    group: string | null,
  ): Promise<Map<string, Record<string, FigureTally>>> {
    const w = this.where(filter);
    const split = group ? null : this.summarySplit(filter, w);
    const sources = [this.countFacts(group, split ? split.facts : w.sql, w)];
    if (split) {
      const cols = SUMMARY_COLUMNS.map((c, i) =>
        BY_TODAY[i]
          ? `sum(CASE WHEN f.open THEN CASE WHEN ${this.today(c.predicate, w)} THEN f.n ELSE 0 END ELSE f.counts[${i + 1}] END)`
          : `sum(f.counts[${i + 1}])`,
      );
      sources.unshift(
        `SELECT '' AS g, ${cols.map((c, i) => `${c} AS c${i}`).join(', ')}
         FROM task_figure_summary f WHERE ${split.summary}`,
      );
    }
    const sql = `SELECT f.g, ${SUMMARY_COLUMNS.map((_, i) => `sum(f.c${i}) AS c${i}`).join(', ')}
      FROM (${sources.join(' UNION ALL ')}) f GROUP BY f.g`;
    const rows = await this.db.query<Record<string, string | null>>(sql, w.params);
    const out = new Map<string, Record<string, FigureTally>>();
    for (const row of rows) {
      const tallies = this.empty();
      SUMMARY_COLUMNS.forEach((k, i) => {
        const t = tallies[k.code];
        const v = Number(row[`c${i}`] ?? 0);
        if (k.part === null) t.total = v;
        else t.parts[k.part] = v;
      });
      out.set(String(row.g), tallies);
    }
    if (!group && !out.has('')) out.set('', this.empty());
    return out;
  }

  /**
   * SUMMARY_COLUMNS counted on the facts under `where`, in two stages: the facts are first grouped
   * by what the predicates read (a few hundred groups however many items), each column reduced
   * to what the predicates tell apart — a reply time to null or not, the reopen count to 0 or
   * 1, the deadline to the day before today or today — so that every predicate applies
   * unchanged to the groups, which are then counted with sum(n). Same counts, one cheap
   * aggregate per item.
   */
  private countFacts(
    group: string | null,
    where: string,
    w: { params: unknown[]; todayParam: number },
  ): string {
    const today = this.today(':today', w);
    const inner = `SELECT ${group ? `${group}::text` : `''`} AS g, f.state, f.task_class,
        CASE WHEN f.replied_at IS NULL THEN NULL ELSE 'epoch'::timestamptz END AS replied_at,
        f.replied_on_time, f.first_score, f.final_score, least(f.reopen_count, 1) AS reopen_count,
        f.contact, f.cooperating, f.deadline_pending,
        CASE WHEN f.deadline IS NULL THEN NULL WHEN f.deadline < ${today} THEN ${today} - 1 ELSE ${today} END AS deadline,
        count(*) AS n
      FROM task_figure_fact f WHERE ${where} GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12`;
    const cols = SUMMARY_COLUMNS.map(
      (c, i) => `sum(f.n) FILTER (WHERE ${this.today(c.predicate, w)}) AS c${i}`,
    );
    return `SELECT f.g, ${cols.join(', ')} FROM (${inner}) f GROUP BY f.g`;
  }

  /** Working days overdue, summed over the overdue items (grouped by deadline, then counted). */
  private async overdueDays(filter: FigureFilter, group: string | null): Promise<Map<string, number>> {
    const w = this.where(filter);
    const overdue = this.today(OVERDUE, w);
    const query = (table: string, n: string, where: string): string =>
      `SELECT ${group ? `${group}::text` : `''`} AS g, f.deadline::text AS deadline, ${n} AS n
       FROM ${table} f WHERE ${where} AND (${overdue}) GROUP BY 1, 2`;
    const split = group ? null : this.summarySplit(filter, w);
    const rows = await this.db.query<{ g: string; deadline: string; n: string }>(
      split
        ? [
            query('task_figure_summary', 'sum(f.n)', `f.open AND ${split.summary}`),
            query('task_figure_fact', 'count(*)', split.facts),
          ].join(' UNION ALL ')
        : query('task_figure_fact', 'count(*)', w.sql),
      w.params,
    );
    const calendar = await this.calendar.calendar();
    const today = this.calendar.today();
    const days = workingDaysUntil(
      rows.map((r) => r.deadline),
      today,
      calendar,
    );
    const out = new Map<string, number>();
    for (const r of rows) out.set(r.g, (out.get(r.g) ?? 0) + (days.get(r.deadline) ?? 0) * Number(r.n));
    return out;
  }

  /**
   * Whether `filter` can be counted from `task_figure_summary` (not with a lead unit: the
   * summary has none; a unit has a few hundred items, read from the facts by index), and if so
   * the conditions on it (`f` the summary) — the whole UTC days of the period — and on the
   * facts for what is left at its ends: from `from` to the first whole day, from the end of the
   * last whole day to `to` (a false condition when neither, so the filters' parameters keep
   * their types). Null when the period holds no whole day. Adds its parameters to `w`'s.
   */
  private summarySplit(
    filter: FigureFilter,
    w: { sql: string; params: unknown[] },
  ): { summary: string; facts: string } | null {
    if (filter.unitId) return null;
    const DAY = 86_400_000;
    const from = filter.from ? new Date(filter.from).getTime() : null;
    const to = filter.to ? new Date(filter.to).getTime() : null;
    const firstDay = from === null ? null : Math.ceil(from / DAY) * DAY;
    const endDay = to === null ? null : Math.floor(to / DAY) * DAY;
    if (firstDay !== null && endDay !== null && firstDay >= endDay) return null;
    const p = (v: unknown): string => {
      w.params.push(v);
      return `$${w.params.length}`;
    };
    const day = (t: number): string => new Date(t).toISOString().slice(0, 10);
    const clauses = ['true'];
    if (filter.meetingId) clauses.push(`f.meeting_id = ${p(filter.meetingId)}::uuid`);
    if (filter.meetingIds) clauses.push(`f.meeting_id = ANY(${p(filter.meetingIds)}::uuid[])`);
    if (filter.agendaItemIds) clauses.push(`f.agenda_item_id = ANY(${p(filter.agendaItemIds)}::uuid[])`);
    if (filter.taskClass) clauses.push(`f.task_class = ${p(filter.taskClass)}`);
    if (filter.constituency)
      clauses.push(`(f.constituencies & ${p(constituencyBit(filter.constituency))}::int) <> 0`);
    if (firstDay !== null) clauses.push(`f.assigned_day >= ${p(day(firstDay))}::date`);
    if (endDay !== null) clauses.push(`f.assigned_day < ${p(day(endDay))}::date`);
    const ends: string[] = [];
    if (from !== null && firstDay !== null && from < firstDay)
      ends.push(`f.assigned_at < ${p(new Date(firstDay))}::timestamptz`);
    if (to !== null && endDay !== null && endDay < to)
      ends.push(`f.assigned_at >= ${p(new Date(endDay))}::timestamptz`);
    return {
      summary: clauses.join(' AND '),
      facts: `${w.sql} AND ${ends.length > 0 ? `(${ends.join(' OR ')})` : 'false'}`,
    };
  }

  /** `:today` as a parameter: added to the parameters on first use. */
  private today(predicate: string, w: { params: unknown[]; todayParam: number }): string {
    if (!predicate.includes(':today')) return predicate;
    if (w.todayParam === 0) {
      w.params.push(this.calendar.today());
      w.todayParam = w.params.length;
    }
    return predicate.replaceAll(':today', `$${w.todayParam}::date`);
  }

  /** The filters as SQL on `f`, with today's date as the last parameter. */
  private where(
    filter: FigureFilter,
    withDrafts = false,
  ): { sql: string; params: unknown[]; todayParam: number } {
    const params: unknown[] = [];
    const p = (v: unknown): string => {
      params.push(v);
      return `$${params.length}`;
    };
    const clauses = [withDrafts ? 'true' : 'f.assigned_at IS NOT NULL'];
    if (filter.from) clauses.push(`f.assigned_at >= ${p(filter.from)}`);
    if (filter.to) clauses.push(`f.assigned_at < ${p(filter.to)}`);
    if (filter.meetingId) clauses.push(`f.meeting_id = ${p(filter.meetingId)}`);
    if (filter.meetingIds) clauses.push(`f.meeting_id = ANY(${p(filter.meetingIds)}::uuid[])`);
    if (filter.agendaItemIds) clauses.push(`f.agenda_item_id = ANY(${p(filter.agendaItemIds)}::uuid[])`);
    if (filter.unitId) clauses.push(`f.lead_unit_id = ${p(filter.unitId)}`);
    if (filter.taskClass) clauses.push(`f.task_class = ${p(filter.taskClass)}`);
    if (filter.constituency)
      clauses.push(`(f.constituencies & ${p(constituencyBit(filter.constituency))}::int) <> 0`);
    return { sql: clauses.join(' AND '), params, todayParam: 0 };
  }
}
