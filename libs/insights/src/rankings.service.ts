import { Injectable } from '@nestjs/common';
import { DirectoryService } from '@liexi/directory';
import { HandlingFiguresService } from '@liexi/handling';
import { AppraisalResultsService } from '@liexi/live';
import {
  type Bilingual,
  decodeCursor,
  encodeCursor,
  type FigureTally,
  invalid,
  type Page,
} from '@liexi/platform';
import { type FigureQuery, FiguresService } from './figures.service';

/** What a unit can be ranked by; `better` says which way is better. */
export const RANKING_CRITERIA: Record<
  string,
  { name: Bilingual; better: 'higher' | 'lower'; definition: string }
> = {
  on_time_rate: {
    name: { zh: '按时办结率', en: 'on-time rate' },
    better: 'higher',
    definition: 'figure on_time_rate of the unit’s items (FIGURES.md)',
  },
  satisfaction_rate: {
    name: { zh: '满意率', en: 'satisfaction rate' },
    better: 'higher',
    definition: 'figure satisfaction_rate of the unit’s items',
  },
  first_time_satisfaction_rate: {
    name: { zh: '一次办理满意率', en: 'first-time satisfaction rate' },
    better: 'higher',
    definition: 'figure first_time_satisfaction_rate of the unit’s items',
  },
  reply_rate: {
    name: { zh: '办复率', en: 'reply rate' },
    better: 'higher',
    definition: 'figure reply_rate of the unit’s items',
  },
  overdue_days: {
    name: { zh: '逾期天数', en: 'overdue days' },
    better: 'lower',
    definition: 'working days overdue, summed over the unit’s overdue items (today)',
  },
  overdue: {
    name: { zh: '逾期件数', en: 'overdue items' },
    better: 'lower',
    definition: 'the unit’s overdue items (red light, today)',
  },
  appraisal: {
    name: { zh: '评议满意度', en: 'appraisal result' },
    better: 'higher',
    definition:
      '(satisfied + basically satisfied) ÷ votes over the satisfaction polls on the unit closed in the period (appraisal results)',
  },
};
export const DEFAULT_CRITERIA = ['on_time_rate', 'satisfaction_rate', 'overdue_days', 'appraisal'];

export interface RankingRow {
  rank: number;
  unitId: string;
  unitName: string;
  assigned: number;
  values: Record<string, number | null>;
}

export interface Ranking {
  /** Units are ordered by the first criterion, ties broken by the next; a null value sorts last. */
  criteria: { code: string; name: Bilingual; better: 'higher' | 'lower'; definition: string }[];
  items: RankingRow[];
  nextCursor: string | null;
}

export interface LateUnitRow {
  unitId: string;
  unitName: string;
  overdue: number;
  overdueDays: number;
  handling: number;
}

const rate = (t: FigureTally | undefined, parts: string[]): number | null => {
  if (!t || t.total === 0) return null;
  const n = parts.reduce((s, p) => s + (t.parts[p] ?? 0), 0);
  return Math.round((n / t.total) * 10000) / 10000;
};

/** 排名通报 with its criteria shown and chosen by the caller, and the late units for a progress meeting. */
@Injectable()
export class RankingsService {
  constructor(
    private readonly figures: FiguresService,
    private readonly handling: HandlingFiguresService,
    private readonly appraisals: AppraisalResultsService,
    private readonly directory: DirectoryService,
  ) {}

  async ranking(q: FigureQuery, criteria: string[], limit: number, cursor?: string): Promise<Ranking> {
    const unknown = criteria.filter((c) => !RANKING_CRITERIA[c]);
    if (unknown.length > 0 || criteria.length === 0)
      throw invalid(`unknown ranking criteria: ${unknown.join(', ')}`, {
        criteria: [`a comma-separated list of ${Object.keys(RANKING_CRITERIA).join(', ')}`],
      });
    const offset = Number(decodeCursor(cursor, 1)?.[0] ?? 0);
    const filter = await this.figures.resolve(q);
    const [rows, appraisal, names] = await Promise.all([
      this.handling.byUnit(filter),
      this.appraisals.totalsByUnit({ from: q.from, to: q.to, meetingId: q.meetingId, unitId: q.unitId }),
      this.directory.listUnits(),
    ]);
    const unitName = new Map(names.map((u) => [u.id, u.name]));
    const units = new Set([...rows.map((r) => r.unitId), ...appraisal.keys()]);
    const byUnit = new Map(rows.map((r) => [r.unitId, r]));
    const all = [...units].map((unitId) => {
      const r = byUnit.get(unitId);
      const a = appraisal.get(unitId);
      const votes = a ? a.satisfied + a.basic + a.unsatisfied : 0;
      const values: Record<string, number | null> = {
        on_time_rate: rate(r?.tallies.on_time_rate, ['on_time']),
        satisfaction_rate: rate(r?.tallies.satisfaction_rate, ['satisfied', 'basically_satisfied']),
        first_time_satisfaction_rate: rate(r?.tallies.first_time_satisfaction_rate, [
          'satisfied',
          'basically_satisfied',
        ]),
        reply_rate: rate(r?.tallies.reply_rate, ['replied']),
        overdue_days: r ? r.overdueDays : 0,
        overdue: r?.tallies.overdue?.parts.overdue ?? 0,
        appraisal: a && votes > 0 ? Math.round(((a.satisfied + a.basic) / votes) * 10000) / 10000 : null,
      };
      return {
        unitId,
        unitName: unitName.get(unitId) ?? '',
        assigned: r?.tallies.assigned?.total ?? 0,
        values,
      };
    });
    const cmp = (x: (typeof all)[number], y: (typeof all)[number]): number => {
      for (const c of criteria) {
        const a = x.values[c] ?? null;
        const b = y.values[c] ?? null;
        if (a === b) continue;
        if (a === null) return 1;
        if (b === null) return -1;
        return RANKING_CRITERIA[c]?.better === 'higher' ? b - a : a - b;
      }
      return 0;
    };
    all.sort(
      (x, y) => cmp(x, y) || x.unitName.localeCompare(y.unitName, 'zh') || x.unitId.localeCompare(y.unitId),
    );
    const ranked = all.map((row, i) => ({ ...row, rank: 0, i }));
    ranked.forEach((row, i) => {
      const prev = ranked[i - 1];
      row.rank = prev && cmp(prev, row) === 0 ? prev.rank : i + 1;
    });
    const items = ranked.slice(offset, offset + limit).map(({ i: _i, ...row }) => row);
    return {
      criteria: criteria.map((code) => ({
        code,
        ...RANKING_CRITERIA[code],
      })),
      items,
      nextCursor: offset + limit < ranked.length ? encodeCursor([offset + limit]) : null,
    };
  }

  /** Units with overdue items, most overdue days first (通报批评 at a progress meeting). */
  async lateUnits(q: FigureQuery, limit: number, cursor?: string): Promise<Page<LateUnitRow>> {
    const offset = Number(decodeCursor(cursor, 1)?.[0] ?? 0);
    const rows = await this.handling.byUnit(await this.figures.resolve(q));
    const names = await this.directory.unitNames(rows.map((r) => r.unitId));
    const late = rows
      .map((r) => ({
        unitId: r.unitId,
        unitName: names.get(r.unitId) ?? '',
        overdue: r.tallies.overdue?.parts.overdue ?? 0,
        overdueDays: r.overdueDays,
        handling: r.tallies.overdue?.total ?? 0,
      }))
      .filter((r) => r.overdue > 0)
      .sort(
        (a, b) =>
          b.overdueDays - a.overdueDays ||
          b.overdue - a.overdue ||
          a.unitName.localeCompare(b.unitName, 'zh'),
      );
    return {
      items: late.slice(offset, offset + limit),
      nextCursor: offset + limit < late.length ? encodeCursor([offset + limit]) : null,
    };
  }
}
