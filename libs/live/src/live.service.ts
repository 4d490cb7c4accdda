import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { InputDisposition, InputView, JoinResult, MeetingSnapshot, SeqResult } from '@liexi/contracts';
import { DirectoryService, type ParticipantRecord } from '@liexi/directory';
import { MeetingsService } from '@liexi/meetings';
import {
  AccessChanges,
  type Actor,
  AuditService,
  conflict,
  EventLogService,
  invalid,
  meetingStream,
  notFound,
  Db,
  keysetPage,
  type Page,
} from '@liexi/platform';
import { In, Repository } from 'typeorm';
import { InputCosignEntity } from './cosign.entity';
import { InputEntity } from './input.entity';
import type { ListInputsQueryDto, ModerateInputDto } from './live.dto';
import { PollsService } from './polls.service';
import { GroupCommit } from './group-commit';
import { SnapshotCache } from './snapshot-cache';
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

/** How long a successful follower check is remembered for the same account and meeting. */
const FOLLOWER_TTL_MS = 10_000;

/** A client further behind than this gets a snapshot instead of the events it missed. */
export const MAX_CATCH_UP_EVENTS = 1000;

@Injectable()
export class LiveService implements OnModuleInit {
  /** Joiners of a meeting share the snapshot of its last published seq. */
  private readonly snapshots = new SnapshotCache(
    (meetingId) => this.snapshot(meetingId),
    (meetingId) => this.events.lastPublished(meetingStream(meetingId)),
  );

  /** Joiners arrive together (a plenary): their access is checked in batches, two statements each. */
  private readonly followers = new GroupCommit<{ actor: Actor; meetingId: string }, true>({
    windowMs: 0,
    maxSize: 500,
    maxInFlight: 2,
    lane: (j) => j.meetingId,
    write: (items) =>
      this.db.detached(async () =>
        (await this.meetings.followerErrors(items)).map((error) =>
          error ? { ok: false, error } : { ok: true, value: true },
        ),
      ),
  });

  /**
   * Who was just allowed to follow which meeting: a tablet that reconnects within FOLLOWER_TTL_MS
   * rejoins without a query (a withdrawn invitation clears the meeting's entries at once).
   */
  private readonly allowed = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly events: EventLogService,
    private readonly meetings: MeetingsService,
    private readonly directory: DirectoryService,
    private readonly speakers: SpeakersService,
    private readonly polls: PollsService,
    access: AccessChanges,
  ) {
    // A withdrawn invitation: nobody rejoins that meeting on a remembered check.
    access.changes.subscribe((change) => {
      if (change.kind !== 'invitation') return;
      for (const key of this.allowed.keys())
        if (key.endsWith(`|${change.meetingId}`)) this.allowed.delete(key);
    });
  }

  /** A meeting concerns the units its polls are about (满意度测评): their handlers may follow it. */
  onModuleInit(): void {
    this.meetings.addUnitConcern(async (pairs) => {
      const rows: { meeting_id: string; target_unit_id: string }[] = await this.db.query(
        `SELECT DISTINCT meeting_id, target_unit_id FROM poll
         WHERE meeting_id = ANY($1::uuid[]) AND target_unit_id = ANY($2::uuid[])`,
        [[...new Set(pairs.map((p) => p.meetingId))], [...new Set(pairs.map((p) => p.unitId))]],
      );
      return new Set(rows.map((r) => `${r.meeting_id}|${r.target_unit_id}`));
    });
  }

  /** Through the unit of work: inside a transaction, on its connection. */
  private get inputs(): Repository<InputEntity> {
    return this.db.manager.getRepository(InputEntity);
  }

  /**
   * `meeting.join`: the events after `afterSeq` when the client is close behind, otherwise a
   * snapshot with the seq it reflects. Once authorized, `subscribe` puts the socket in the
   * stream's room before anything is read, so nothing committed in between is lost (the
   * client drops pushed events with seq ≤ the seq of this answer).
   *
   * What this node has already published is known without a query: a client that is up to
   * date gets an empty catch-up at once, and the joiners of a busy meeting share one snapshot.
   */
  async join(
    actor: Actor,
    meetingId: string,
    afterSeq: number | undefined,
    subscribe: (stream: string) => Promise<void>,
  ): Promise<JoinResult> {
    await this.requireFollower(actor, meetingId);
    const stream = meetingStream(meetingId);
    await subscribe(stream);
    if (afterSeq !== undefined) {
      const published = this.events.lastPublished(stream);
      const last = published >= 0 ? published : await this.events.lastSeq(stream);
      if (afterSeq === last) return { seq: last, events: [] };
      if (afterSeq < last && last - afterSeq <= MAX_CATCH_UP_EVENTS) {
        const events =
          this.events.recentEvents(stream, afterSeq, last) ??
          (await this.events.read(stream, afterSeq, MAX_CATCH_UP_EVENTS, last));
        // A pruned log (an archived meeting) no longer has them all: a snapshot instead.
        if (events.length === last - afterSeq) return { seq: last, events };
      }
    }
    return this.snapshots.get(meetingId);
  }

  private async requireFollower(actor: Actor, meetingId: string): Promise<void> {
    const key = `${actor.accountId}|${meetingId}`;
    const until = this.allowed.get(key);
    if (until !== undefined && until > Date.now()) return;
    await this.followers.submit({ actor, meetingId });
    if (this.allowed.size >= 50_000) this.allowed.clear();
    this.allowed.set(key, Date.now() + FOLLOWER_TTL_MS);
  }

  /** State and seq read in one REPEATABLE READ snapshot, so they agree exactly. */
  snapshot(meetingId: string): Promise<{ seq: number; snapshot: MeetingSnapshot }> {
    return this.db.transaction(async () => {
      const seq = await this.events.lastSeq(meetingStream(meetingId));
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
      return { seq, snapshot };
    }, 'REPEATABLE READ');
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
      await this.meetings.requireSteward(actor, input.meetingId);
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

  /** Inputs of a meeting in the order they were raised, as the caller may see them (anonymous authors never shown). */
  async listInputs(actor: Actor, meetingId: string, query: ListInputsQueryDto): Promise<Page<InputView>> {
    await this.meetings.requireFollower(actor, meetingId);
    const qb = this.inputs
      .createQueryBuilder('i')
      .where('i.meeting_id = :meetingId AND i.hidden = false', { meetingId });
    if (query.kind) qb.andWhere('i.kind = :kind', { kind: query.kind });
    if (query.agendaItemId) qb.andWhere('i.agenda_item_id = :a', { a: query.agendaItemId });
    const page = await keysetPage(qb, { column: 'i.submitted_seq', type: 'bigint', id: 'i.id' }, query);
    return { items: await this.views(page.items), nextCursor: page.nextCursor };
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

  private view(i: InputEntity, author: ParticipantRecord | null, seq: number, cosignCount = 0): InputView {
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
