import { Injectable } from '@nestjs/common';
import { DirectoryService } from '@liexi/directory';
import { TaskQueriesService } from '@liexi/handling';
import { MeetingsService } from '@liexi/meetings';
import type { Page, PageQueryDto } from '@liexi/platform';
import type { LedgerRowView } from './insights.views';

/** 台账: one row per task item, every column computed from the records. */
export type LedgerRow = LedgerRowView;

@Injectable()
export class LedgerService {
  constructor(
    private readonly tasks: TaskQueriesService,
    private readonly meetings: MeetingsService,
    private readonly directory: DirectoryService,
  ) {}

  /**
   * A page of the ledger in creation order. A fixed number of statements whatever the page
   * size: the items with what the ledger shows of their related lists (one), then the names of
   * units, proposers, meetings and agenda items (in parallel, one each for the whole page).
   */
  async page(filter: { meetingId?: string }, query: PageQueryDto): Promise<Page<LedgerRow>> {
    const page = await this.tasks.ledgerPage(filter, query);
    const items = page.items;
    const [units, people, titles] = await Promise.all([
      this.directory.unitNames(items.flatMap((i) => [i.leadUnitId, ...i.cooperatingUnitIds])),
      this.directory.participantNames(items.flatMap((i) => i.proposerIds)),
      this.meetings.titles(
        items.flatMap((i) => i.meetingId ?? []),
        items.flatMap((i) => i.agendaItemId ?? []),
      ),
    ]);
    return {
      nextCursor: page.nextCursor,
      items: items.map((i) => ({
        taskId: i.id,
        meeting: i.meetingId ? (titles.meetings.get(i.meetingId) ?? null) : null,
        agendaItem: i.agendaItemId ? (titles.agendaItems.get(i.agendaItemId) ?? null) : null,
        problem: i.problem,
        proposers: i.proposerIds.map((p) => people.get(p) ?? p),
        anonymousProposers: i.anonymousProposers,
        leadUnit: units.get(i.leadUnitId) ?? i.leadUnitId,
        cooperatingUnits: i.cooperatingUnitIds.map((u) => units.get(u) ?? u),
        responsiblePerson: i.responsiblePerson,
        measure: i.measure,
        deadline: i.deadline,
        closeOutStandard: i.closeOutStandard,
        taskClass: i.taskClass,
        urgency: i.urgency,
        state: i.state,
        reopenCount: i.reopenCount,
        reply: i.reply,
        ratings: i.ratings,
        closedAt: i.closedAt,
      })),
    };
  }
}
