import { Injectable } from '@nestjs/common';
import { DirectoryService } from '@liexi/directory';
import { TaskQueriesService } from '@liexi/handling';
import { MeetingsService } from '@liexi/meetings';

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
  deadline: string;
  closeOutStandard: string;
  taskClass: string;
  urgency: string;
  state: string;
  reopenCount: number;
  reply: string | null;
  ratings: string[];
  closedAt: string | null;
}

@Injectable()
export class LedgerService {
  constructor(
    private readonly tasks: TaskQueriesService,
    private readonly meetings: MeetingsService,
    private readonly directory: DirectoryService,
  ) {}

  async rows(filter: { meetingId?: string } = {}): Promise<LedgerRow[]> {
    const items = await this.tasks.ledgerItems(filter);
    const units = new Map((await this.directory.listUnits()).map((u) => [u.id, u.name]));
    const people = await this.directory.participantsByIds([
      ...new Set(items.flatMap((i) => i.proposers.participantIds)),
    ]);
    const meetingTitles = new Map<string, string>();
    const agendaTitles = new Map<string, string>();
    for (const meetingId of new Set(items.map((i) => i.meetingId).filter((m): m is string => m !== null))) {
      meetingTitles.set(meetingId, (await this.meetings.require(meetingId)).title);
      for (const a of await this.meetings.agenda(meetingId)) agendaTitles.set(a.id, a.title);
    }
    return items.map((i) => ({
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
      deadline: i.deadline,
      closeOutStandard: i.closeOutStandard,
      taskClass: i.taskClass,
      urgency: i.urgency,
      state: i.state,
      reopenCount: i.reopenCount,
      reply: i.replies.filter((r) => r.sentAt !== null).at(-1)?.body ?? null,
      ratings: i.evaluations.map((e) => e.rating),
      closedAt: i.closedAt,
    }));
  }
}
