import { Injectable } from '@nestjs/common';
import type { Constituency } from '@liexi/contracts';
import { DirectoryLookupsService, DirectoryService } from '@liexi/directory';
import { type FigureItemView, HandlingFiguresService, WorkCalendarService } from '@liexi/handling';
import { type FigureInputView, InputFiguresService } from '@liexi/live';
import { type FigurePersonTimeView, MeetingFiguresService } from '@liexi/meetings';
import {
  type Bilingual,
  type FigureDefinition,
  type FigureFilter,
  type FigureTally,
  invalid,
  type Page,
} from '@liexi/platform';
import { FIGURES, FILTERS_APPLIED, figureDefinition } from './figures.catalog';

/** The filters as asked (query parameters). */
export interface FigureQuery {
  from?: Date;
  to?: Date;
  meetingId?: string;
  meetingKind?: string;
  unitId?: string;
  taskClass?: string;
  category?: string;
  constituency?: string;
}

export interface FigurePartView {
  code: string;
  name: Bilingual;
  count: number;
  /** count ÷ total, 4 decimals; null when total is 0. */
  share: number | null;
}

export interface FigureView {
  code: string;
  name: Bilingual;
  definition: Bilingual;
  counts: FigureDefinition['counts'];
  /** The denominator. */
  total: number;
  /** The numerator (null for a breakdown). */
  numerator: number | null;
  /** numerator ÷ total, 4 decimals; null for a breakdown or when total is 0. */
  value: number | null;
  numeratorParts: string[] | null;
  /** They add up to `total`. */
  parts: FigurePartView[];
  filtersApplied: string[];
  /** `overdue` only: working days overdue, summed over the overdue items. */
  overdueDays?: number;
}

export interface FiguresOverview {
  today: string;
  filter: Record<string, string>;
  figures: FigureView[];
}

export type FigureRowView =
  | (FigureItemView & { kind: 'item'; leadUnit: string })
  | (FigureInputView & { kind: 'input' })
  | (FigurePersonTimeView & { kind: 'person_time'; participantName: string });

const ratio = (n: number, d: number): number | null => (d > 0 ? Math.round((n / d) * 10000) / 10000 : null);

/**
 * The figures (FIGURES.md): each context counts its own records with the same filters, this
 * service puts them together — shares that add up to the total — and drills any part down to
 * the rows behind it.
 */
@Injectable()
export class FiguresService {
  constructor(
    private readonly handling: HandlingFiguresService,
    private readonly inputs: InputFiguresService,
    private readonly meetings: MeetingFiguresService,
    private readonly lookups: DirectoryLookupsService,
    private readonly directory: DirectoryService,
    private readonly calendar: WorkCalendarService,
  ) {}

  /** The filters with the dimensions other contexts own resolved to ids. */
  async resolve(q: FigureQuery): Promise<FigureFilter> {
    const filter: FigureFilter = { ...q };
    Object.assign(filter, await this.meetings.resolve({ meetingKind: q.meetingKind, category: q.category }));
    if (q.constituency)
      filter.participantIds = await this.lookups.participantIdsOf(q.constituency as Constituency);
    return filter;
  }

  async overview(q: FigureQuery): Promise<FiguresOverview> {
    const filter = await this.resolve(q);
    const [tasks, inputs, people] = await Promise.all([
      this.handling.tallies(filter),
      this.inputs.tallies(filter),
      this.meetings.tallies(filter),
    ]);
    const tallies: Record<string, FigureTally> = { ...tasks.tallies, ...inputs, ...people };
    return {
      today: this.calendar.today(),
      filter: Object.fromEntries(
        Object.entries(q)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, v instanceof Date ? v.toISOString() : String(v)]),
      ),
      figures: FIGURES.map((def) => {
        const view = this.view(def, tallies[def.code] ?? { total: 0, parts: {} });
        return def.code === 'overdue' ? { ...view, overdueDays: tasks.overdueDays } : view;
      }),
    };
  }

  view(def: FigureDefinition, t: FigureTally): FigureView {
    const numerator = def.numerator ? def.numerator.reduce((n, c) => n + (t.parts[c] ?? 0), 0) : null;
    return {
      code: def.code,
      name: def.name,
      definition: def.definition,
      counts: def.counts,
      total: t.total,
      numerator,
      value: numerator === null ? null : ratio(numerator, t.total),
      numeratorParts: def.numerator,
      parts: def.parts.map((p) => ({
        code: p.code,
        name: p.name,
        count: t.parts[p.code] ?? 0,
        share: ratio(t.parts[p.code] ?? 0, t.total),
      })),
      filtersApplied: FILTERS_APPLIED[def.counts],
    };
  }

  /** The rows behind one part (or `numerator`, `denominator`) of a figure, page by page. */
  async items(
    code: string,
    part: string,
    q: FigureQuery,
    limit: number,
    cursor?: string,
  ): Promise<Page<FigureRowView>> {
    const def = figureDefinition(code);
    if (!def)
      throw invalid(`no figure ${code}`, { code: [`one of ${FIGURES.map((f) => f.code).join(', ')}`] });
    const filter = await this.resolve(q);
    if (def.counts === 'inputs') {
      const page = await this.inputs.items(part, filter, limit, cursor);
      return { ...page, items: page.items.map((i) => ({ ...i, kind: 'input' as const })) };
    }
    if (def.counts === 'person_times') {
      const page = await this.meetings.items(part, filter, limit, cursor);
      const people = await this.directory.participantsByIds(page.items.map((p) => p.participantId));
      return {
        ...page,
        items: page.items.map((p) => ({
          ...p,
          kind: 'person_time' as const,
          participantName: people.get(p.participantId)?.name ?? '',
        })),
      };
    }
    const page = await this.handling.items(code, part, filter, limit, cursor);
    const units = await this.directory.unitNames(page.items.map((i) => i.leadUnitId));
    return {
      ...page,
      items: page.items.map((i) => ({
        ...i,
        kind: 'item' as const,
        leadUnit: units.get(i.leadUnitId) ?? '',
      })),
    };
  }
}
