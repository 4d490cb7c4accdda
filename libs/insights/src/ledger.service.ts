import { Injectable } from '@nestjs/common';
import { DirectoryService } from '@liexi/directory';
import { HandlingFiguresService, TaskQueriesService } from '@liexi/handling';
import { MeetingsService } from '@liexi/meetings';
import type { Page } from '@liexi/platform';
import { type FigureQuery, FiguresService } from './figures.service';
import type { LedgerRowView } from './insights.views';

/** Pages of ids read at once by `all` (5,000 ids: ~200 kB). */
const IDS_PER_READ = 10;

/** 台账: one row per task item, every column computed from the records. */
export type LedgerRow = LedgerRowView;

/** The ledger, filtered like the figures, keyset-paged (exports read it page by page). */
@Injectable()
export class LedgerService {
  constructor(
    private readonly tasks: TaskQueriesService,
    private readonly handling: HandlingFiguresService,
    private readonly figures: FiguresService,
    private readonly meetings: MeetingsService,
    private readonly directory: DirectoryService,
  ) {}

  /**
   * A page of the ledger under the figures' filter, in assignment order (drafts last). A fixed
   * number of statements whatever the page size: the ids (one), the items with what the ledger
   * shows of their related lists (one), then the names of units, proposers, meetings and agenda
   * items (one each for the whole page).
   */
  async page(q: FigureQuery, limit: number, cursor?: string): Promise<Page<LedgerRow>> {
    const ids = await this.handling.ledgerIds(await this.figures.resolve(q), limit, cursor);
    return { items: await this.rows(ids.items), nextCursor: ids.nextCursor };
  }

  /**
   * Every row under `q`, `chunk` at a time (bounded memory whatever the count). The ids are read
   * `IDS_PER_READ` pages at a time: each keyset read of the ids costs about the same whatever its
   * size (it walks the filtered facts up to the cursor), so ten times fewer reads (bench/ledger-export.ts).
   */
  async *all(q: FigureQuery, chunk = 500): AsyncGenerator<LedgerRow[]> {
    const filter = await this.figures.resolve(q);
    let cursor: string | undefined;
    do {
      const ids = await this.handling.ledgerIds(filter, chunk * IDS_PER_READ, cursor);
      for (let i = 0; i < ids.items.length; i += chunk) yield await this.rows(ids.items.slice(i, i + chunk));
      cursor = ids.nextCursor ?? undefined;
    } while (cursor);
  }

  /** The rows of these items, in this order. */
  async rows(ids: string[]): Promise<LedgerRow[]> {
    const items = await this.tasks.ledgerItems(ids);
    // The names of the whole page, one statement each, side by side (separate pool connections
    // outside a transaction; one after another on its connection inside one).
    const [units, people, titles] = await Promise.all([
      this.directory.unitNames(items.flatMap((i) => [i.leadUnitId, ...i.cooperatingUnitIds])),
      this.directory.participantNames(items.flatMap((i) => i.proposerIds)),
      this.meetings.titles(
        items.flatMap((i) => i.meetingId ?? []),
        items.flatMap((i) => i.agendaItemId ?? []),
      ),
    ]);
    return items.map((i) => ({
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
      assignedAt: i.assignedAt,
      deadline: i.deadline,
      closeOutStandard: i.closeOutStandard,
      taskClass: i.taskClass,
      urgency: i.urgency,
      state: i.state,
      reopenCount: i.reopenCount,
      reply: i.reply,
      repliedAt: i.repliedAt,
      ratings: i.ratings,
      firstSatisfaction: i.firstSatisfaction,
      finalSatisfaction: i.finalSatisfaction,
      closedAt: i.closedAt,
    }));
  }
}
