import { Injectable } from '@nestjs/common';
import { DirectoryService } from '@liexi/directory';
import { HandlingFiguresService, TaskQueriesService } from '@liexi/handling';
import { MeetingsService } from '@liexi/meetings';
import type { Page } from '@liexi/platform';
import { type FigureQuery, FiguresService } from './figures.service';

/** 台账: one row per task item, every column computed from the records. */
export interface LedgerRow {
  taskId: string;
  meeting: string | null;
  agendaItem: string | null;
  problem: string;
  /** Named proposers; anonymous ones appear only as a count. */
  proposers: string[];
  anonymousProposers: number;
  leadUnit: string;
  cooperatingUnits: string[];
  responsiblePerson: string | null;
  measure: string;
  /** 交办: first assignment (null for a draft). */
  assignedAt: string | null;
  deadline: string;
  closeOutStandard: string;
  taskClass: string;
  urgency: string;
  state: string;
  reopenCount: number;
  reply: string | null;
  /** When the first reply was sent (办复). */
  repliedAt: string | null;
  ratings: string[];
  /** Lowest rating of the first round and of the last rated round (满意度: 首次 / 最终). */
  firstSatisfaction: string | null;
  finalSatisfaction: string | null;
  closedAt: string | null;
}

const ORDER = ['unsatisfied', 'basically_satisfied', 'satisfied'];
const lowest = (ratings: string[]): string | null =>
  ratings.length === 0 ? null : ratings.reduce((a, b) => (ORDER.indexOf(a) <= ORDER.indexOf(b) ? a : b));

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

  async page(q: FigureQuery, limit: number, cursor?: string): Promise<Page<LedgerRow>> {
    const ids = await this.handling.ledgerIds(await this.figures.resolve(q), limit, cursor);
    return { items: await this.rows(ids.items), nextCursor: ids.nextCursor };
  }

  /** Every row under `q`, `chunk` at a time (bounded memory whatever the count). */
  async *all(q: FigureQuery, chunk = 500): AsyncGenerator<LedgerRow[]> {
    const filter = await this.figures.resolve(q);
    let cursor: string | undefined;
    do {
      const ids = await this.handling.ledgerIds(filter, chunk, cursor);
      yield await this.rows(ids.items);
      cursor = ids.nextCursor ?? undefined;
    } while (cursor);
  }

  /** The rows of these items, in this order. */
  async rows(ids: string[]): Promise<LedgerRow[]> {
    const items = await this.tasks.ledgerItems(ids);
    const units = await this.directory.unitNames(
      items.flatMap((i) => [i.leadUnitId, ...i.cooperatingUnitIds]),
    );
    const people = await this.directory.participantsByIds([
      ...new Set(items.flatMap((i) => i.proposers.participantIds)),
    ]);
    const meetingTitles = new Map<string, string>();
    const agendaTitles = new Map<string, string>();
    for (const meetingId of new Set(items.map((i) => i.meetingId).filter((m): m is string => m !== null))) {
      meetingTitles.set(meetingId, (await this.meetings.require(meetingId)).title);
      for (const a of await this.meetings.agenda(meetingId)) agendaTitles.set(a.id, a.title);
    }
    return items.map((i) => {
      const lastRound = Math.max(0, ...i.evaluations.map((e) => e.round));
      const sent = i.replies.filter((r) => r.sentAt !== null);
      return {
        taskId: i.id,
        meeting: i.meetingId ? (meetingTitles.get(i.meetingId) ?? null) : null,
        agendaItem: i.agendaItemId ? (agendaTitles.get(i.agendaItemId) ?? null) : null,
        problem: i.problem,
        proposers: i.proposers.participantIds.map((p) => people.get(p)?.name ?? p),
        anonymousProposers: i.proposers.anonymousCount,
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
        reply: sent.at(-1)?.body ?? null,
        repliedAt: sent.map((r) => r.sentAt as string).sort()[0] ?? null,
        ratings: i.evaluations.map((e) => e.rating),
        firstSatisfaction: lowest(i.evaluations.filter((e) => e.round === 1).map((e) => e.rating)),
        finalSatisfaction: lowest(i.evaluations.filter((e) => e.round === lastRound).map((e) => e.rating)),
        closedAt: i.closedAt,
      };
    });
  }
}
