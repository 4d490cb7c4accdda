import { Injectable } from '@nestjs/common';
import { AgendaTaxonomyService, type FigureCounts, MeetingsService } from '@liexi/meetings';

/** Counts plus the attendance rate: attended ÷ (invited − declined), null when nothing is due. */
export interface AttendanceFigure extends FigureCounts {
  attendanceRate: number | null;
}

export interface AttendanceFigures {
  period: { from: string | null; to: string | null };
  /** Definitions, so every number can be reproduced from the invitation records. */
  definitions: Record<string, string>;
  total: AttendanceFigure;
  byConstituency: (AttendanceFigure & { constituency: string })[];
  byCategory: (AttendanceFigure & { category: string; label: { zh: string; en: string } | null })[];
  byMonth: (AttendanceFigure & { month: string })[];
}

const rate = (c: FigureCounts): AttendanceFigure => {
  const due = c.invited - c.declined;
  return { ...c, attendanceRate: due > 0 ? Math.round((c.attended / due) * 10000) / 10000 : null };
};

/** 列席人次: person-times invited and attended, computed from invitation rows on every request. */
@Injectable()
export class AttendanceFiguresService {
  constructor(
    private readonly meetings: MeetingsService,
    private readonly taxonomy: AgendaTaxonomyService,
  ) {}

  async figures(filter: { from?: Date; to?: Date }): Promise<AttendanceFigures> {
    const rows = await this.meetings.invitationCounts(filter);
    const labels = await this.taxonomy.labels();
    return {
      period: { from: filter.from?.toISOString() ?? null, to: filter.to?.toISOString() ?? null },
      definitions: {
        invited:
          'person-times invited: invitations not withdrawn, in meetings not cancelled that start in [from, to)',
        declined: 'of those, declined',
        attended: 'person-times sat in: checked in or marked attended',
        absent: 'marked absent',
        distinctInvited: 'distinct people invited',
        distinctAttended: 'distinct people who sat in',
        attendanceRate: 'attended ÷ (invited − declined), 4 decimals; null when that is 0',
        byCategory:
          'a person-time counts once under each category on its meeting’s agenda, so categories may sum to more than the total',
        byMonth: 'month of the meeting start in the configured time zone',
      },
      total: rate(rows.total),
      byConstituency: rows.byConstituency.map((r) => ({ ...rate(r), constituency: r.constituency })),
      byCategory: rows.byCategory.map((r) => ({
        ...rate(r),
        category: r.category,
        label: labels.get(`category:${r.category}`) ?? null,
      })),
      byMonth: rows.byMonth.map((r) => ({ ...rate(r), month: r.month })),
    };
  }
}
