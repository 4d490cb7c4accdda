import { Injectable } from '@nestjs/common';
import type {
  InputDisposition,
  InputSubmitResult,
  InputView,
  JoinResult,
  MeetingSnapshot,
  SeqResult,
} from '@liexi/contracts';
import { DirectoryService, type ParticipantRecord as ParticipantEntity } from '@liexi/directory';
import { MeetingsService } from '@liexi/meetings';
import {
  type Actor,
  AuditService,
  conflict,
  EventLogService,
  forbidden,
  invalid,
  meetingStream,
  notFound,
  Db,
} from '@liexi/platform';
import { In, Repository } from 'typeorm';
import { InputCosignEntity } from './cosign.entity';
import { InputEntity } from './input.entity';
import type { CosignInputDto, ModerateInputDto, SubmitInputDto } from './live.dto';
import { PollsService } from './polls.service';
import { SpeakersService } from './speakers.service';

/** An input as other contexts see it (the handling of inputs into task items). */
export interface InputRef {
  id: string;
  meetingId: string;
  agendaItemId: string | null;
  authorParticipantId: string;
  anonymous: boolean;
  disposition: InputDisposition;
}

const inputRef = (i: InputEntity): InputRef => ({
  id: i.id,
  meetingId: i.meetingId,
  agendaItemId: i.agendaItemId,
  authorParticipantId: i.authorParticipantId,
  anonymous: i.anonymous,
  disposition: i.disposition,
});

/** A client further behind than this gets a snapshot instead of the events it missed. */
export const MAX_CATCH_UP_EVENTS = 1000;

@Injectable()
export class LiveService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly events: EventLogService,
    private readonly meetings: MeetingsService,
    private readonly directory: DirectoryService,
    private readonly speakers: SpeakersService,
    private readonly polls: PollsService,
  ) {}

  /** Through the unit of work: inside a transaction, on its connection. */
  private get inputs(): Repository<InputEntity> {
    return this.db.manager.getRepository(InputEntity);
  }

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
    return this.db.transaction(async () => {
      const seqRows: { last_seq: string }[] = await this.db.manager.query(
        'SELECT last_seq FROM event_stream WHERE stream = $1',
        [meetingStream(meetingId)],
      );
      const meeting = await this.meetings.require(meetingId);
      const agenda = await this.meetings.agenda(meetingId);
      const inputs = await this.db.manager.find(InputEntity, {
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
        attendance: await this.meetings.attendance(meetingId),
        speakers: await this.speakers.state(meetingId),
        openPolls: await this.polls.openPolls(meetingId),
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
    return this.db.transaction(async () => {
      const { participantId } = await this.meetings.requireContributor(actor, dto.meetingId);
      if (dto.agendaItemId)
        await this.meetings.requireAgendaItem(dto.meetingId, dto.agendaItemId, 'agendaItemId');
      const inserted: { id: string }[] = await this.db.manager.query(
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
      if (!id) return this.replay(dto, participantId);

      const input = await this.db.manager.findOneOrFail(InputEntity, { where: { id } });
      const author = await this.directory.getParticipant(participantId);
      const event = await this.events.append(meetingStream(dto.meetingId), 'input.submitted', (seq) =>
        this.view(input, author, seq),
      );
      await this.db.manager.update(InputEntity, { id }, { submittedSeq: String(event.seq) });
      // An anonymous input's audit row names no actor: the author's identity stays in `input` only.
      await this.audit.record(input.anonymous ? null : actor, {
        action: 'input.submitted',
        entityType: 'input',
        entityId: id,
        after: { meetingId: input.meetingId, kind: input.kind, anonymous: input.anonymous, seq: event.seq },
      });
      return { inputId: id, seq: event.seq };
    });
  }

  /**
   * `input.cosign` (联名): once per person; the author cannot co-sign their own input. A retry —
   * with the same clientKey, or any second try by the same person — returns the first seq.
   * The input row is locked so concurrent co-signs count one after another.
   */
  async cosign(actor: Actor, dto: CosignInputDto): Promise<SeqResult> {
    return this.db.transaction(async () => {
      const input = await this.db.manager.findOne(InputEntity, {
        where: { id: dto.inputId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!input) throw notFound('input', dto.inputId);
      const { participantId } = await this.meetings.requireContributor(actor, input.meetingId);
      const mine = await this.db.manager.findOne(InputCosignEntity, {
        where: { inputId: input.id, participantId },
      });
      if (mine) return { seq: Number(mine.seq) };
      if (input.authorParticipantId === participantId) throw forbidden('you cannot co-sign your own input');
      if (input.hidden) throw conflict('this input was withdrawn from the session by the secretariat');
      const inserted: { id: string }[] = await this.db.manager.query(
        `INSERT INTO input_cosign (meeting_id, input_id, participant_id, client_key, seq)
         VALUES ($1, $2, $3, $4, 0) ON CONFLICT DO NOTHING RETURNING id`,
        [input.meetingId, input.id, participantId, dto.clientKey],
      );
      const id = inserted[0]?.id;
      if (!id) throw conflict('this clientKey was already used for something else');
      const cosignCount = await this.db.manager.count(InputCosignEntity, { where: { inputId: input.id } });
      const event = await this.events.append(meetingStream(input.meetingId), 'input.cosigned', {
        inputId: input.id,
        cosignCount,
      });
      await this.db.manager.update(InputCosignEntity, { id }, { seq: String(event.seq) });
      await this.audit.record(actor, {
        action: 'input.cosigned',
        entityType: 'input',
        entityId: input.id,
        after: { cosignCount, seq: event.seq },
      });
      return { seq: event.seq };
    });
  }

  /**
   * `input.moderate`: the secretariat hides an input, or merges it into another (it then links
   * to its target). Either way it leaves the snapshots; the reason goes to the audit log.
   */
  async moderate(actor: Actor, dto: ModerateInputDto): Promise<SeqResult> {
    return this.db.transaction(async () => {
      const input = await this.db.manager.findOne(InputEntity, {
        where: { id: dto.inputId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!input) throw notFound('input', dto.inputId);
      await this.meetings.requireFollower(actor, input.meetingId);
      if (input.hidden) throw conflict('this input was already moderated');
      let into: string | null = null;
      if (dto.action === 'merge') {
        const target = dto.intoInputId
          ? await this.db.manager.findOne(InputEntity, { where: { id: dto.intoInputId } })
          : null;
        if (!target || target.meetingId !== input.meetingId || target.hidden || target.id === input.id)
          throw invalid('merge into a visible input of the same meeting', {
            intoInputId: ['not a visible input of this meeting'],
          });
        into = target.id;
      }
      await this.db.manager.update(
        InputEntity,
        { id: input.id },
        {
          hidden: true,
          mergedIntoInputId: into,
          dispositionReason: dto.reason,
          ...(dto.action === 'merge' ? { disposition: 'merged' as const } : {}),
        },
      );
      const event = await this.events.append(meetingStream(input.meetingId), 'input.moderated', {
        inputId: input.id,
        action: dto.action,
        intoInputId: into,
      });
      await this.audit.record(actor, {
        action: `input.${dto.action === 'hide' ? 'hidden' : 'merged'}`,
        entityType: 'input',
        entityId: input.id,
        before: { hidden: false, disposition: input.disposition },
        after: { hidden: true, intoInputId: into, reason: dto.reason, seq: event.seq },
      });
      return { seq: event.seq };
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

  async requireInputs(ids: string[], field: string): Promise<InputRef[]> {
    const rows = ids.length === 0 ? [] : await this.inputs.find({ where: { id: In(ids) } });
    const missing = ids.filter((id) => !rows.some((r) => r.id === id));
    if (missing.length > 0)
      throw invalid(`unknown input ${missing.join(', ')}`, { [field]: ['unknown input'] });
    return rows.map(inputRef);
  }

  async getInput(id: string): Promise<InputRef> {
    const input = await this.inputs.findOne({ where: { id } });
    if (!input) throw notFound('input', id);
    return inputRef(input);
  }

  /** Records the disposition of inputs turned into a task item, inside the caller's transaction. */
  async markConverted(inputIds: string[], taskId: string): Promise<void> {
    if (inputIds.length === 0) return;
    const res = await this.db.manager
      .createQueryBuilder()
      .update(InputEntity)
      .set({ disposition: 'converted', dispositionTaskId: taskId })
      .where('id IN (:...ids) AND disposition = :pending', { ids: inputIds, pending: 'pending' })
      .execute();
    if (res.affected !== inputIds.length) throw conflict('some inputs were already disposed of');
  }

  private async replay(dto: SubmitInputDto, participantId: string): Promise<InputSubmitResult> {
    const first = await this.db.manager.findOneOrFail(InputEntity, {
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
    const counts = new Map<string, number>();
    if (inputs.length > 0) {
      const rows: { input_id: string; n: string }[] = await this.db.manager.query(
        'SELECT input_id, count(*) AS n FROM input_cosign WHERE input_id = ANY($1::uuid[]) GROUP BY input_id',
        [inputs.map((i) => i.id)],
      );
      for (const r of rows) counts.set(r.input_id, Number(r.n));
    }
    return inputs.map((i) =>
      this.view(i, authors.get(i.authorParticipantId) ?? null, Number(i.submittedSeq), counts.get(i.id) ?? 0),
    );
  }

  private view(i: InputEntity, author: ParticipantEntity | null, seq: number, cosignCount = 0): InputView {
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
      cosignCount,
      hidden: i.hidden,
      submittedAt: i.createdAt.toISOString(),
      seq,
    };
  }

  // --- issue 5 (handling): the other dispositions of an input, in the caller's transaction ---

  /** Duplicates merged into an existing task item. */
  async markMerged(inputIds: string[], taskId: string): Promise<void> {
    await this.dispose(inputIds, { disposition: 'merged', dispositionTaskId: taskId });
  }

  /** Answered directly (no task item): the answer text is kept as the disposition reason. */
  async markAnswered(inputId: string, answer: string): Promise<void> {
    await this.dispose([inputId], { disposition: 'answered', dispositionReason: answer });
  }

  /** Declined with a reason. */
  async markDeclined(inputId: string, reason: string): Promise<void> {
    await this.dispose([inputId], { disposition: 'declined', dispositionReason: reason });
  }

  private async dispose(inputIds: string[], set: Partial<InputEntity>): Promise<void> {
    if (inputIds.length === 0) return;
    const res = await this.db.manager
      .createQueryBuilder()
      .update(InputEntity)
      .set(set)
      .where('id IN (:...ids) AND disposition = :pending', { ids: inputIds, pending: 'pending' })
      .execute();
    if (res.affected !== inputIds.length) throw conflict('some inputs were already disposed of');
  }

  /** Who co-signed (联名) these inputs, read in the caller's transaction. */
  async cosignersOf(inputIds: string[]): Promise<{ inputId: string; participantId: string }[]> {
    if (inputIds.length === 0) return [];
    const rows = await this.db.manager.find(InputCosignEntity, {
      where: { inputId: In(inputIds) },
      select: { inputId: true, participantId: true },
    });
    return rows.map((r) => ({ inputId: r.inputId, participantId: r.participantId }));
  }
}
