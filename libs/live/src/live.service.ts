import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { InputSubmitResult, InputView, JoinResult, MeetingSnapshot } from '@liexi/contracts';
import { DirectoryService, type ParticipantEntity } from '@liexi/directory';
import { MeetingsService } from '@liexi/meetings';
import {
  type Actor,
  AuditService,
  conflict,
  EventLogService,
  invalid,
  meetingStream,
  notFound,
  TransactionService,
  type Tx,
} from '@liexi/platform';
import { In, Repository } from 'typeorm';
import { InputEntity } from './input.entity';
import type { SubmitInputDto } from './live.dto';

/** A client further behind than this gets a snapshot instead of the events it missed. */
export const MAX_CATCH_UP_EVENTS = 1000;

@Injectable()
export class LiveService {
  constructor(
    @InjectRepository(InputEntity) private readonly inputs: Repository<InputEntity>,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly events: EventLogService,
    private readonly meetings: MeetingsService,
    private readonly directory: DirectoryService,
  ) {}

  /**
   * `meeting.join`: the events after `afterSeq` when the client is close behind, otherwise a
   * snapshot with the seq it reflects. Once authorized, `subscribe` puts the socket in the
   * stream's room before anything is read, so nothing committed in between is lost (the
   * client drops pushed events with seq ≤ the seq of this answer).
   */
  async join(
    actor: Actor,
    meetingId: string,
    afterSeq: number | undefined,
    subscribe: (stream: string) => Promise<void>,
  ): Promise<JoinResult> {
    await this.meetings.requireFollower(actor, meetingId);
    const stream = meetingStream(meetingId);
    await subscribe(stream);
    if (afterSeq !== undefined) {
      const last = await this.events.lastSeq(stream);
      if (afterSeq <= last && last - afterSeq <= MAX_CATCH_UP_EVENTS) {
        const events = await this.events.read(stream, afterSeq, MAX_CATCH_UP_EVENTS, last);
        return { seq: last, events };
      }
    }
    return this.snapshot(meetingId);
  }

  /** State and seq read in one REPEATABLE READ snapshot, so they agree exactly. */
  async snapshot(meetingId: string): Promise<{ seq: number; snapshot: MeetingSnapshot }> {
    return this.tx.run(async (tx) => {
      const seqRows: { last_seq: string }[] = await tx.manager.query(
        'SELECT last_seq FROM event_stream WHERE stream = $1',
        [meetingStream(meetingId)],
      );
      const meeting = await this.meetings.require(meetingId, tx);
      const agenda = await this.meetings.agenda(meetingId, tx);
      const inputs = await tx.manager.find(InputEntity, {
        where: { meetingId, hidden: false },
        order: { submittedSeq: 'ASC' },
      });
      const snapshot: MeetingSnapshot = {
        meetingId,
        title: meeting.title,
        status: meeting.status,
        currentAgendaItemId: agenda.find((a) => a.state === 'current')?.id ?? null,
        agenda: agenda.map((a) => ({
          id: a.id,
          title: a.title,
          category: a.category,
          order: a.position,
          state: a.state,
        })),
        inputs: await this.views(inputs),
        attendance: await this.meetings.attendance(meetingId, tx),
        speakers: { queue: [], current: null },
        openPolls: [],
      };
      return { seq: Number(seqRows[0]?.last_seq ?? 0), snapshot };
    }, 'REPEATABLE READ');
  }

  /**
   * `input.submit`: stored once per (meeting, clientKey). A retry — also a concurrent one —
   * waits for the first to commit and returns its result. The event is appended in the same
   * transaction and broadcast after commit; the ack (our return) comes only after commit.
   */
  async submitInput(actor: Actor, dto: SubmitInputDto): Promise<InputSubmitResult> {
    return this.tx.run(async (tx) => {
      const { participantId } = await this.meetings.requireContributor(tx, actor, dto.meetingId);
      if (dto.agendaItemId)
        await this.meetings.requireAgendaItem(dto.meetingId, dto.agendaItemId, 'agendaItemId');
      const inserted: { id: string }[] = await tx.manager.query(
        `INSERT INTO input (meeting_id, agenda_item_id, client_key, author_participant_id, kind, text, anonymous)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (meeting_id, client_key) DO NOTHING
         RETURNING id`,
        [
          dto.meetingId,
          dto.agendaItemId ?? null,
          dto.clientKey,
          participantId,
          dto.kind,
          dto.text,
          dto.anonymous ?? false,
        ],
      );
      const id = inserted[0]?.id;
      if (!id) return this.replay(tx, dto, participantId);

      const input = await tx.manager.findOneOrFail(InputEntity, { where: { id } });
      const author = await this.directory.getParticipant(participantId);
      const event = await this.events.append(tx, meetingStream(dto.meetingId), 'input.submitted', (seq) =>
        this.view(input, author, seq),
      );
      await tx.manager.update(InputEntity, { id }, { submittedSeq: String(event.seq) });
      await this.audit.record(tx, actor, {
        action: 'input.submitted',
        entityType: 'input',
        entityId: id,
        after: { meetingId: input.meetingId, kind: input.kind, anonymous: input.anonymous, seq: event.seq },
      });
      return { inputId: id, seq: event.seq };
    });
  }

  /** Inputs of a meeting as the caller may see them (anonymous authors are never shown). */
  async listInputs(actor: Actor, meetingId: string): Promise<InputView[]> {
    await this.meetings.requireFollower(actor, meetingId);
    const rows = await this.inputs.find({
      where: { meetingId, hidden: false },
      order: { submittedSeq: 'ASC' },
    });
    return this.views(rows);
  }

  async requireInputs(ids: string[], field: string): Promise<InputEntity[]> {
    const rows = ids.length === 0 ? [] : await this.inputs.find({ where: { id: In(ids) } });
    const missing = ids.filter((id) => !rows.some((r) => r.id === id));
    if (missing.length > 0)
      throw invalid(`unknown input ${missing.join(', ')}`, { [field]: ['unknown input'] });
    return rows;
  }

  async getInput(id: string): Promise<InputEntity> {
    const input = await this.inputs.findOne({ where: { id } });
    if (!input) throw notFound('input', id);
    return input;
  }

  /** Records the disposition of inputs turned into a task item, inside the caller's transaction. */
  async markConverted(tx: Tx, inputIds: string[], taskId: string): Promise<void> {
    if (inputIds.length === 0) return;
    const res = await tx.manager
      .createQueryBuilder()
      .update(InputEntity)
      .set({ disposition: 'converted', dispositionTaskId: taskId })
      .where('id IN (:...ids) AND disposition = :pending', { ids: inputIds, pending: 'pending' })
      .execute();
    if (res.affected !== inputIds.length) throw conflict('some inputs were already disposed of');
  }

  private async replay(tx: Tx, dto: SubmitInputDto, participantId: string): Promise<InputSubmitResult> {
    const first = await tx.manager.findOneOrFail(InputEntity, {
      where: { meetingId: dto.meetingId, clientKey: dto.clientKey },
    });
    if (first.authorParticipantId !== participantId)
      throw conflict('this clientKey was used by someone else');
    return { inputId: first.id, seq: Number(first.submittedSeq) };
  }

  private async views(inputs: InputEntity[]): Promise<InputView[]> {
    const authors = await this.directory.participantsByIds([
      ...new Set(inputs.filter((i) => !i.anonymous).map((i) => i.authorParticipantId)),
    ]);
    return inputs.map((i) =>
      this.view(i, authors.get(i.authorParticipantId) ?? null, Number(i.submittedSeq)),
    );
  }

  private view(i: InputEntity, author: ParticipantEntity | null, seq: number): InputView {
    return {
      inputId: i.id,
      meetingId: i.meetingId,
      agendaItemId: i.agendaItemId,
      kind: i.kind,
      text: i.text,
      anonymous: i.anonymous,
      author:
        i.anonymous || !author
          ? null
          : { participantId: author.id, name: author.name, constituency: author.constituency },
      cosignCount: 0,
      hidden: i.hidden,
      submittedAt: i.createdAt.toISOString(),
      seq,
    };
  }

  // --- issue 5 (handling): the other dispositions of an input, in the caller's transaction ---

  /** Duplicates merged into an existing task item. */
  async markMerged(tx: Tx, inputIds: string[], taskId: string): Promise<void> {
    await this.dispose(tx, inputIds, { disposition: 'merged', dispositionTaskId: taskId });
  }

  /** Answered directly (no task item): the answer text is kept as the disposition reason. */
  async markAnswered(tx: Tx, inputId: string, answer: string): Promise<void> {
    await this.dispose(tx, [inputId], { disposition: 'answered', dispositionReason: answer });
  }

  /** Declined with a reason. */
  async markDeclined(tx: Tx, inputId: string, reason: string): Promise<void> {
    await this.dispose(tx, [inputId], { disposition: 'declined', dispositionReason: reason });
  }

  private async dispose(tx: Tx, inputIds: string[], set: Partial<InputEntity>): Promise<void> {
    if (inputIds.length === 0) return;
    const res = await tx.manager
      .createQueryBuilder()
      .update(InputEntity)
      .set(set)
      .where('id IN (:...ids) AND disposition = :pending', { ids: inputIds, pending: 'pending' })
      .execute();
    if (res.affected !== inputIds.length) throw conflict('some inputs were already disposed of');
  }
}
