import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Rating, TaskState } from '@liexi/contracts';
import { DirectoryService } from '@liexi/directory';
import { LiveService } from '@liexi/live';
import { MeetingsService } from '@liexi/meetings';
import {
  type Actor,
  AuditService,
  conflict,
  DomainException,
  EventLogService,
  forbidden,
  invalid,
  meetingStream,
  notFound,
  TransactionService,
  type Tx,
} from '@liexi/platform';
import { Brackets, In, Repository } from 'typeorm';
import type { CreateTaskItemDto, DraftReplyDto, EvaluateDto } from './handling.dto';
import { TaskItemEntity } from './task-item.entity';
import {
  TaskCooperatingUnitEntity,
  TaskEvaluationEntity,
  TaskProposerEntity,
  TaskReplyEntity,
  TaskSourceInputEntity,
} from './task-links.entity';
import { allowedTaskActions, TASK_ACTION_ROLES, type TaskAction, taskTarget } from './task-workflow';

export interface TaskItemView {
  id: string;
  meetingId: string | null;
  agendaItemId: string | null;
  problem: string;
  leadUnitId: string;
  cooperatingUnitIds: string[];
  responsiblePerson: string | null;
  measure: string;
  deadline: string;
  closeOutStandard: string;
  taskClass: string;
  classReason: string | null;
  urgency: string;
  state: TaskState;
  reopenCount: number;
  returnReason: string | null;
  closedAt: string | null;
  createdAt: string;
  sourceInputIds: string[];
  /** Named proposers only; anonymous ones are counted, never identified. */
  proposers: { participantIds: string[]; anonymousCount: number };
  replies: { round: number; body: string; approved: boolean; sentAt: string | null }[];
  evaluations: { round: number; rating: Rating; comment: string | null; at: string }[];
  allowedActions: TaskAction[];
}

const OVERSEERS = new Set(['secretariat', 'leader', 'supervisor']);

@Injectable()
export class HandlingService {
  constructor(
    @InjectRepository(TaskItemEntity) private readonly items: Repository<TaskItemEntity>,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly events: EventLogService,
    private readonly directory: DirectoryService,
    private readonly meetings: MeetingsService,
    private readonly live: LiveService,
  ) {}

  /** From one or more inputs (merged) or from scratch: a task item on the four dimensions. */
  async create(actor: Actor, dto: CreateTaskItemDto): Promise<TaskItemView> {
    if (dto.taskClass === 'C' && !dto.classReason?.trim()) {
      throw invalid('class C needs the legal or objective reason', { classReason: ['required for class C'] });
    }
    const cooperating = dto.cooperatingUnitIds ?? [];
    if (cooperating.includes(dto.leadUnitId)) {
      throw invalid('the lead unit cannot also cooperate', {
        cooperatingUnitIds: ['must not contain the lead unit'],
      });
    }
    await this.directory.requireUnits([dto.leadUnitId], 'leadUnitId');
    await this.directory.requireUnits(cooperating, 'cooperatingUnitIds');
    const inputs = await this.live.requireInputs(dto.inputIds ?? [], 'inputIds');
    const meetingId = dto.meetingId ?? inputs[0]?.meetingId ?? null;
    if (inputs.some((i) => i.meetingId !== meetingId)) {
      throw invalid('all inputs must come from the item’s meeting', {
        inputIds: ['inputs from another meeting'],
      });
    }
    if (meetingId) await this.meetings.require(meetingId);
    if (dto.agendaItemId) {
      if (!meetingId)
        throw invalid('an agenda item needs its meeting', { meetingId: ['required with agendaItemId'] });
      await this.meetings.requireAgendaItem(meetingId, dto.agendaItemId, 'agendaItemId');
    }

    const id = await this.tx.run(async (tx) => {
      const item = await tx.manager.save(
        tx.manager.create(TaskItemEntity, {
          meetingId,
          agendaItemId: dto.agendaItemId ?? inputs.find((i) => i.agendaItemId)?.agendaItemId ?? null,
          problem: dto.problem,
          leadUnitId: dto.leadUnitId,
          responsiblePerson: dto.responsiblePerson ?? null,
          measure: dto.measure,
          deadline: dto.deadline,
          closeOutStandard: dto.closeOutStandard,
          taskClass: dto.taskClass,
          classReason: dto.classReason ?? null,
          urgency: dto.urgency ?? 'long_term',
          state: 'draft',
        }),
      );
      if (cooperating.length > 0) {
        await tx.manager.insert(
          TaskCooperatingUnitEntity,
          cooperating.map((unitId) => ({ taskItemId: item.id, unitId })),
        );
      }
      if (inputs.length > 0) {
        await tx.manager.insert(
          TaskSourceInputEntity,
          inputs.map((i) => ({ taskItemId: item.id, inputId: i.id })),
        );
        const proposers = new Map<string, boolean>();
        for (const i of inputs)
          proposers.set(i.authorParticipantId, (proposers.get(i.authorParticipantId) ?? true) && i.anonymous);
        await tx.manager.insert(
          TaskProposerEntity,
          [...proposers].map(([participantId, anonymous]) => ({
            taskItemId: item.id,
            participantId,
            anonymous,
          })),
        );
        await this.live.markConverted(
          tx,
          inputs.map((i) => i.id),
          item.id,
        );
      }
      await this.audit.record(tx, actor, {
        action: 'task.created',
        entityType: 'task_item',
        entityId: item.id,
        after: item,
      });
      if (dto.assign) await this.guardedMove(tx, actor, item, 'assign', {});
      if (meetingId) {
        await this.events.append(tx, meetingStream(meetingId), 'task.created', {
          taskId: item.id,
          problem: item.problem,
          leadUnitId: item.leadUnitId,
          sourceInputIds: inputs.map((i) => i.id),
        });
      }
      return item.id;
    });
    return this.get(actor, id);
  }

  async list(actor: Actor, filter: { meetingId?: string; state?: TaskState } = {}): Promise<TaskItemView[]> {
    const qb = this.items.createQueryBuilder('t').orderBy('t.created_at', 'ASC');
    if (filter.meetingId) qb.andWhere('t.meeting_id = :meetingId', { meetingId: filter.meetingId });
    if (filter.state) qb.andWhere('t.state = :state', { state: filter.state });
    if (actor.role === 'unit_handler') {
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('t.lead_unit_id = :unit', { unit: actor.unitId })
            .orWhere('t.id IN (SELECT task_item_id FROM task_cooperating_unit WHERE unit_id = :unit)', {
              unit: actor.unitId,
            }),
        ),
      );
    } else if (actor.role === 'attendee') {
      qb.andWhere('t.id IN (SELECT task_item_id FROM task_proposer WHERE participant_id = :p)', {
        p: actor.participantId,
      });
    } else if (!OVERSEERS.has(actor.role)) {
      return [];
    }
    return this.views(await qb.getMany());
  }

  async get(actor: Actor, id: string): Promise<TaskItemView> {
    const item = await this.items.findOne({ where: { id } });
    if (!item) throw notFound('task item', id);
    const [view] = await this.views([item]);
    if (!view || !(await this.canSee(actor, item))) throw notFound('task item', id);
    return view;
  }

  assign(actor: Actor, id: string): Promise<TaskItemView> {
    return this.step(actor, id, 'assign', () => Promise.resolve({ returnReason: null }));
  }
  accept(actor: Actor, id: string): Promise<TaskItemView> {
    return this.step(actor, id, 'accept');
  }
  returnItem(actor: Actor, id: string, reason: string): Promise<TaskItemView> {
    return this.step(actor, id, 'return', () => Promise.resolve({ returnReason: reason }));
  }
  start(actor: Actor, id: string): Promise<TaskItemView> {
    return this.step(actor, id, 'start');
  }

  draftReply(actor: Actor, id: string, dto: DraftReplyDto): Promise<TaskItemView> {
    return this.step(actor, id, 'draft_reply', async (tx, item) => {
      await tx.manager.insert(TaskReplyEntity, {
        taskItemId: id,
        round: item.reopenCount + 1,
        body: dto.body,
        draftedBy: actor.accountId,
      });
      return {};
    });
  }

  /** The leader sends the draft back with a comment; the draft stays on record, the unit redrafts. */
  sendBackReply(actor: Actor, id: string, comment: string): Promise<TaskItemView> {
    return this.step(actor, id, 'send_back_reply', async (tx) => {
      await this.audit.record(tx, actor, {
        action: 'task.reply_comment',
        entityType: 'task_item',
        entityId: id,
        after: { comment },
      });
      return {};
    });
  }

  approveReply(actor: Actor, id: string): Promise<TaskItemView> {
    return this.step(actor, id, 'approve_reply', async (tx, item) => {
      const reply = await this.latestReply(tx, item);
      await tx.manager.update(
        TaskReplyEntity,
        { id: reply.id },
        { approvedBy: actor.accountId, approvedAt: new Date() },
      );
      return {};
    });
  }

  sendReply(actor: Actor, id: string): Promise<TaskItemView> {
    return this.step(actor, id, 'send_reply', async (tx, item) => {
      const reply = await this.latestReply(tx, item);
      await tx.manager.update(TaskReplyEntity, { id: reply.id }, { sentAt: new Date() });
      return {};
    });
  }

  /**
   * A proposer rates the reply. Unsatisfied → reopened for second handling. Once every
   * proposer has rated and none is unsatisfied → evaluated.
   */
  async evaluate(actor: Actor, id: string, dto: EvaluateDto): Promise<TaskItemView> {
    await this.tx.run(async (tx) => {
      const item = await this.lockItem(tx, id);
      if (!TASK_ACTION_ROLES.evaluate.includes(actor.role))
        throw forbidden(`role ${actor.role} may not evaluate`);
      const proposers = await tx.manager.find(TaskProposerEntity, { where: { taskItemId: id } });
      if (!proposers.some((p) => p.participantId === actor.participantId))
        throw forbidden('only the proposers rate the reply');
      if (item.state !== 'replied') this.invalidTransition(item, 'evaluate');
      const round = item.reopenCount + 1;
      const res: unknown[] = await tx.manager.query(
        `INSERT INTO task_evaluation (task_item_id, participant_id, round, rating, comment)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id`,
        [id, actor.participantId, round, dto.rating, dto.comment ?? null],
      );
      if (res.length === 0) throw conflict('you have already rated this reply');
      await this.audit.record(tx, actor, {
        action: 'task.rated',
        entityType: 'task_item',
        entityId: id,
        after: { round, rating: dto.rating, comment: dto.comment ?? null },
      });
      if (dto.rating === 'unsatisfied') {
        await this.guardedMove(tx, actor, item, 'reopen', { reopenCount: item.reopenCount + 1 });
        return;
      }
      const rated = await tx.manager.count(TaskEvaluationEntity, { where: { taskItemId: id, round } });
      if (rated >= proposers.length) await this.guardedMove(tx, actor, item, 'evaluate', {});
    });
    return this.get(actor, id);
  }

  close(actor: Actor, id: string): Promise<TaskItemView> {
    return this.step(actor, id, 'close', async (tx, item) => {
      if (item.state === 'replied') {
        const proposers = await tx.manager.count(TaskProposerEntity, { where: { taskItemId: id } });
        if (proposers > 0) {
          throw new DomainException('INVALID_TRANSITION', 'the proposers have not all rated the reply yet', {
            allowed: [],
          });
        }
      }
      return { closedAt: new Date() };
    });
  }

  reopen(actor: Actor, id: string): Promise<TaskItemView> {
    return this.step(actor, id, 'reopen', (_tx, item) =>
      Promise.resolve({ reopenCount: item.reopenCount + 1, closedAt: null }),
    );
  }

  /** Items with everything the ledger shows, for the insights context. */
  async ledgerItems(filter: { meetingId?: string }): Promise<TaskItemView[]> {
    const rows = await this.items.find({
      where: filter.meetingId ? { meetingId: filter.meetingId } : {},
      order: { createdAt: 'ASC' },
    });
    return this.views(rows);
  }

  // ---------------------------------------------------------------------------------------

  private async step(
    actor: Actor,
    id: string,
    action: TaskAction,
    work?: (tx: Tx, item: TaskItemEntity) => Promise<Partial<TaskItemEntity>>,
  ): Promise<TaskItemView> {
    await this.tx.run(async (tx) => {
      const item = await this.items.manager.findOne(TaskItemEntity, { where: { id } });
      if (!item || !(await this.canSee(actor, item))) throw notFound('task item', id);
      if (!TASK_ACTION_ROLES[action].includes(actor.role))
        throw forbidden(`role ${actor.role} may not ${action}`);
      if (actor.role === 'unit_handler' && actor.unitId !== item.leadUnitId) {
        throw forbidden('only the lead unit handles this step');
      }
      if (taskTarget(item.state, action) === null) this.invalidTransition(item, action);
      const changes = (await work?.(tx, item)) ?? {};
      await this.guardedMove(tx, actor, item, action, changes);
    });
    return this.get(actor, id);
  }

  /** `UPDATE … WHERE state = :from`: of two racing actors exactly one wins; the other gets CONFLICT. */
  private async guardedMove(
    tx: Tx,
    actor: Actor,
    item: TaskItemEntity,
    action: TaskAction,
    changes: Partial<TaskItemEntity>,
  ): Promise<void> {
    const to = taskTarget(item.state, action);
    if (to === null) this.invalidTransition(item, action);
    const res = await tx.manager
      .createQueryBuilder()
      .update(TaskItemEntity)
      .set({ ...changes, state: to })
      .where('id = :id AND state = :from', { id: item.id, from: item.state })
      .execute();
    if (res.affected !== 1) throw conflict(`task item ${item.id} changed while you were acting on it`);
    await this.audit.record(tx, actor, {
      action: `task.${action}`,
      entityType: 'task_item',
      entityId: item.id,
      before: { state: item.state },
      after: { ...changes, state: to },
    });
    item.state = to;
    Object.assign(item, changes);
  }

  private invalidTransition(item: TaskItemEntity, action: TaskAction): never {
    throw new DomainException('INVALID_TRANSITION', `cannot ${action} a task item that is ${item.state}`, {
      allowed: allowedTaskActions(item.state),
    });
  }

  private async lockItem(tx: Tx, id: string): Promise<TaskItemEntity> {
    const item = await tx.manager.findOne(TaskItemEntity, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!item) throw notFound('task item', id);
    return item;
  }

  private async latestReply(tx: Tx, item: TaskItemEntity): Promise<TaskReplyEntity> {
    const reply = await tx.manager.findOne(TaskReplyEntity, {
      where: { taskItemId: item.id, round: item.reopenCount + 1 },
      order: { createdAt: 'DESC' },
    });
    if (!reply)
      throw new DomainException('INVALID_TRANSITION', 'there is no reply draft', {
        allowed: allowedTaskActions(item.state),
      });
    return reply;
  }

  private async canSee(actor: Actor, item: TaskItemEntity): Promise<boolean> {
    if (OVERSEERS.has(actor.role)) return true;
    if (actor.role === 'unit_handler') {
      if (item.leadUnitId === actor.unitId) return true;
      return (
        (await this.items.manager.count(TaskCooperatingUnitEntity, {
          where: { taskItemId: item.id, unitId: actor.unitId ?? '' },
        })) > 0
      );
    }
    if (actor.role === 'attendee') {
      return (
        (await this.items.manager.count(TaskProposerEntity, {
          where: { taskItemId: item.id, participantId: actor.participantId ?? '' },
        })) > 0
      );
    }
    return false;
  }

  private async views(items: TaskItemEntity[]): Promise<TaskItemView[]> {
    if (items.length === 0) return [];
    const ids = items.map((i) => i.id);
    const m = this.items.manager;
    const [coop, sources, proposers, replies, evaluations] = await Promise.all([
      m.find(TaskCooperatingUnitEntity, { where: { taskItemId: In(ids) } }),
      m.find(TaskSourceInputEntity, { where: { taskItemId: In(ids) } }),
      m.find(TaskProposerEntity, { where: { taskItemId: In(ids) } }),
      m.find(TaskReplyEntity, { where: { taskItemId: In(ids) }, order: { createdAt: 'ASC' } }),
      m.find(TaskEvaluationEntity, { where: { taskItemId: In(ids) }, order: { createdAt: 'ASC' } }),
    ]);
    return items.map((i) => {
      const mine = proposers.filter((p) => p.taskItemId === i.id);
      return {
        id: i.id,
        meetingId: i.meetingId,
        agendaItemId: i.agendaItemId,
        problem: i.problem,
        leadUnitId: i.leadUnitId,
        cooperatingUnitIds: coop.filter((c) => c.taskItemId === i.id).map((c) => c.unitId),
        responsiblePerson: i.responsiblePerson,
        measure: i.measure,
        deadline: i.deadline,
        closeOutStandard: i.closeOutStandard,
        taskClass: i.taskClass,
        classReason: i.classReason,
        urgency: i.urgency,
        state: i.state,
        reopenCount: i.reopenCount,
        returnReason: i.returnReason,
        closedAt: i.closedAt?.toISOString() ?? null,
        createdAt: i.createdAt.toISOString(),
        sourceInputIds: sources.filter((s) => s.taskItemId === i.id).map((s) => s.inputId),
        proposers: {
          participantIds: mine.filter((p) => !p.anonymous).map((p) => p.participantId),
          anonymousCount: mine.filter((p) => p.anonymous).length,
        },
        replies: replies
          .filter((r) => r.taskItemId === i.id)
          .map((r) => ({
            round: r.round,
            body: r.body,
            approved: r.approvedAt !== null,
            sentAt: r.sentAt?.toISOString() ?? null,
          })),
        evaluations: evaluations
          .filter((e) => e.taskItemId === i.id)
          .map((e) => ({
            round: e.round,
            rating: e.rating,
            comment: e.comment,
            at: e.createdAt.toISOString(),
          })),
        allowedActions: allowedTaskActions(i.state),
      };
    });
  }
}
