import { Injectable } from '@nestjs/common';
import { HandlingFiguresService } from '@liexi/handling';
import { MeetingFiguresService } from '@liexi/meetings';
import type { Page } from '@liexi/platform';
import { type FigureQuery, FiguresService } from './figures.service';

export interface MeetingListView {
  meetingId: string;
  title: string;
  kind: string;
  startsAt: string;
  total: number;
  closed: number;
  open: number;
  overdue: number;
  /** Items per state; they add up to `total`. */
  byState: Record<string, number>;
}

/**
 * 一会一单 as a view over every meeting: each meeting's assigned items and their states (the
 * items themselves: `GET /api/meetings/{id}/task-list` or the figures' drill-down by meeting).
 */
@Injectable()
export class MeetingListsService {
  constructor(
    private readonly figures: FiguresService,
    private readonly handling: HandlingFiguresService,
    private readonly meetings: MeetingFiguresService,
  ) {}

  async list(q: FigureQuery, limit: number, cursor?: string): Promise<Page<MeetingListView>> {
    const page = await this.handling.meetingLists(await this.figures.resolve(q), limit, cursor);
    const briefs = await this.meetings.briefs(page.items.map((m) => m.meetingId));
    return {
      nextCursor: page.nextCursor,
      items: page.items.map((m) => {
        const b = briefs.get(m.meetingId);
        return {
          meetingId: m.meetingId,
          title: b?.title ?? '',
          kind: b?.kind ?? '',
          startsAt: b?.startsAt ?? '',
          total: m.total,
          closed: m.closed,
          open: m.total - m.closed,
          overdue: m.overdue,
          byState: m.byState,
        };
      }),
    };
  }
}
