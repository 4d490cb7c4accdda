import { Inject, Injectable } from '@nestjs/common';
import type { Rating, SupervisionLight, TaskState } from '@liexi/contracts';
import { DirectoryService } from '@liexi/directory';
import { type InputRef, LiveService } from '@liexi/live';
import { MeetingsService } from '@liexi/meetings';
import {
  type Actor,
  APP_CONFIG,
  type AppConfig,
  AuditService,
  Clock,
  conflict,
  DomainException,
  EventLogService,
  forbidden,
  invalid,
  JobRunner,
  meetingStream,
  NotificationService,
  notFound,
  Db,
} from '@liexi/platform';
import { Brackets, In, Repository } from 'typeorm';
import type {
  AssignDto,
  CreateTaskItemDto,
  DraftReplyDto,
  EvaluateDto,
  ProgressReportDto,
  ReopenDto,
  ReturnDto,
  SendReplyDto,
} from './handling.dto';
import {
  TaskCooperationOpinionEntity,
  TaskDeadlineChangeEntity,
  TaskProgressReportEntity,
  TaskReinspectionEntity,
  TaskReplyReviewEntity,
} from './supervision.entity';
import { TaskItemEntity } from './task-item.entity';
import {
  TaskCooperatingUnitEntity,
  TaskEvaluationEntity,
  TaskProposerEntity,
  TaskReplyEntity,
  TaskSourceInputEntity,
} from './task-links.entity';
import { TaskWriter } from './task-writer';
import {
  allowedTaskActions,
  HANDLING_STATES,
  replyLevel,
  TASK_ACTION_ROLES,
  type TaskAction,
  taskTarget,
} from './task-workflow';
import { WorkCalendarService } from './work-calendar.service';

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
  /** Reopened and waiting for the secretariat to set the deadline of the second handling. */
  deadlinePending: boolean;
  /** Computed from the deadline, the holiday calendar and today (never stored). */
  light: SupervisionLight | null;
  closeOutStandard: string;
  taskClass: string;
  classReason: string | null;
  urgency: string;
  state: TaskState;
  reopenCount: number;
  returnReason: string | null;
  suggestedUnitId: string | null;
  closedAt: string | null;
  publishedAt: string | null;
  createdAt: string;
  sourceInputIds: string[];
  /** Named proposers only; anonymous ones are counted, never identified. */
  proposers: { participantIds: string[]; anonymousCount: number };
  replies: {
    id: string;
    round: number;
    body: string;
    approved: boolean;
    sentAt: string | null;
    reviews: { level: string; decision: string; comment: string | null; at: string }[];
  }[];
  evaluations: { round: number; rating: Rating; comment: string | null; at: string }[];
  progress: { text: string; percent: number; attachments: string[]; at: string }[];
  opinions: {
    unitId: string;
    dueDate: string;
    body: string | null;
    submittedAt: string | null;
    waivedAt: string | null;
    waiveReason: string | null;
  }[];
  deadlineChanges: {
    id: string;
    kind: string;
    previousDeadline: string;
    requestedDeadline: string;
    reason: string;
    status: string;
    decisionComment: string | null;
    at: string;
  }[];
  reinspections: { round: number; dueAt: string; outcome: string | null; note: string | null }[];
  allowedActions: TaskAction[];
}

export interface MeetingTaskList {
  meetingId: string;
  counts: { total: number; closed: number; open: number; overdue: number };
  items: {
    id: string;
    problem: string;
    leadUnitId: string;
    state: TaskState;
    deadline: string;
    light: SupervisionLight | null;
    percent: number | null;
    lastProgressAt: string | null;
  }[];
}

export interface PublicTaskView {
  id: string;
  meetingId: string | null;
  problem: string;
  leadUnit: string;
  measure: string;
  deadline: string;
  taskClass: string;
  classReason: string | null;
  state: TaskState;
  reply: string | null;
  publishedAt: string;
  closedAt: string | null;
}

const OVERSEERS = new Set(['secretariat', 'leader', 'supervisor']);
/** States in which the lead unit reports progress and cooperating units send opinions. */
const WORKING_STATES: readonly TaskState[] = HANDLING_STATES.filter((s) => s !== 'returned');

@Injectable()
export class HandlingService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly events: EventLogService,
    private readonly writer: TaskWriter,
    private readonly calendar: WorkCalendarService,
    private readonly notifications: NotificationService,
    private readonly jobs: JobRunner,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly directory: DirectoryService,
    private readonly meetings: MeetingsService,
    private readonly live: LiveService,
  ) {}

  /** Through the unit of work: inside a transaction, on its connection. */
  private get items(): Repository<TaskItemEntity> {
    return this.db.manager.getRepository(TaskItemEntity);
  }

  // --- from input to item -----------------------------------------------------------------

  /**
   * From one or more inputs or from scratch (一会一单): a task item on the four dimensions. The
   * first input is `converted`, further ones (duplicates) are `merged` into the item.
   */
  async create(actor: Actor, dto: CreateTaskItemDto): Promise<TaskItemView> {
    if (dto.taskClass === 'C' && !dto.classReason?.trim()) {
      throw invalid('class C needs the legal or objective reason', { classReason: ['required for class C'] });
    }
    if (!dto.deadline && !dto.deadlineWorkingDays) {
      throw invalid('a task item needs a deadline', { deadline: ['give deadline or deadlineWorkingDays'] });
    }
    const deadline =
      dto.deadline ??
      (await this.calendar.addWorkingDays(this.calendar.today(), dto.deadlineWorkingDays ?? 0));
    const cooperating = dto.cooperatingUnitIds ?? [];
    if (cooperating.includes(dto.leadUnitId)) {
      throw invalid('the lead unit cannot also cooperate', {
        cooperatingUnitIds: ['must not contain the lead unit'],
      });
    }
    await this.directory.requireUnits([dto.leadUnitId], 'leadUnitId');
    await this.directory.requireUnits(cooperating, 'cooperatingUnitIds');
    const inputs = await this.live.requireInputs(dto.inputIds ?? [], 'inputIds');
    const ordered = (dto.inputIds ?? []).map((id) => inputs.find((i) => i.id === id) as InputRef);
    const meetingId = dto.meetingId ?? ordered[0]?.meetingId ?? null;
    if (ordered.some((i) => i.meetingId !== meetingId)) {
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

    const id = await this.db.transaction(async () => {
      const item = await this.db.manager.save(
        this.db.manager.create(TaskItemEntity, {
          meetingId,
          agendaItemId: dto.agendaItemId ?? ordered.find((i) => i.agendaItemId)?.agendaItemId ?? null,
          problem: dto.problem,
          leadUnitId: dto.leadUnitId,
          responsiblePerson: dto.responsiblePerson ?? null,
          measure: dto.measure,
          deadline,
          closeOutStandard: dto.closeOutStandard,
          taskClass: dto.taskClass,
          classReason: dto.classReason ?? null,
          urgency: dto.urgency ?? 'long_term',
          state: 'draft',
        }),
      );
      if (cooperating.length > 0) {
        await this.db.manager.insert(
          TaskCooperatingUnitEntity,
          cooperating.map((unitId) => ({ taskItemId: item.id, unitId })),
        );
        await this.db.manager.insert(
          TaskCooperationOpinionEntity,
          cooperating.map((unitId) => ({
            taskItemId: item.id,
            unitId,
            dueDate: dto.opinionDueDate ?? deadline,
          })),
        );
      }
      await this.audit.record(actor, {
        action: 'task.created',
        entityType: 'task_item',
        entityId: item.id,
        after: { ...item, cooperatingUnitIds: cooperating, inputIds: dto.inputIds ?? [] },
      });
      if (ordered.length > 0) {
        await this.live.markConverted([ordered[0]?.id], item.id);
        await this.addSources(actor, item, ordered, false);
      }
      if (meetingId) {
        await this.events.append(meetingStream(meetingId), 'task.created', {
          taskId: item.id,
          problem: item.problem,
          leadUnitId: item.leadUnitId,
          sourceInputIds: ordered.map((i) => i.id),
        });
      }
      await this.writer.announce(item, 'created');
      if (dto.assign) await this.assignInTx(actor, item, {});
      return item.id;
    });
    return this.get(actor, id);
  }

  /** Duplicates found later are merged into an existing item (their authors become proposers). */
  async mergeInputs(actor: Actor, id: string, inputIds: string[]): Promise<TaskItemView> {
    const inputs = await this.live.requireInputs(inputIds, 'inputIds');
    await this.db.transaction(async () => {
      const item = await this.visibleItem(actor, id);
      if (item.state === 'closed')
        this.writer.invalidTransition(item, 'merge', 'a closed item takes no more inputs');
      if (item.meetingId && inputs.some((i) => i.meetingId !== item.meetingId)) {
        throw invalid('all inputs must come from the item’s meeting', {
          inputIds: ['inputs from another meeting'],
        });
      }
      await this.addSources(actor, item, inputs, true);
    });
    return this.get(actor, id);
  }

  /** 直接答复: an input answered without a task item; the author is told. */
  async answerInput(
    actor: Actor,
    inputId: string,
    text: string,
  ): Promise<{ inputId: string; disposition: 'answered' }> {
    const input = await this.live.getInput(inputId);
    await this.db.transaction(async () => {
      await this.live.markAnswered(inputId, text);
      await this.audit.record(actor, {
        action: 'input.answered',
        entityType: 'input',
        entityId: inputId,
        before: { disposition: input.disposition },
        after: { disposition: 'answered', answer: text },
      });
      await this.notifications.enqueue({
        channel: 'inbox',
        recipientType: 'participant',
        recipientId: input.authorParticipantId,
        topic: 'input.answered',
        text: { zh: `您提出的意见建议已答复：${text}`, en: `Your input was answered: ${text}` },
        dedupeKey: `input.answered:${inputId}`,
      });
    });
    return { inputId, disposition: 'answered' };
  }

  /** 不予采纳: declined, with the reason recorded and sent to the author. */
  async declineInput(
    actor: Actor,
    inputId: string,
    reason: string,
  ): Promise<{ inputId: string; disposition: 'declined' }> {
    const input = await this.live.getInput(inputId);
    await this.db.transaction(async () => {
      await this.live.markDeclined(inputId, reason);
      await this.audit.record(actor, {
        action: 'input.declined',
        entityType: 'input',
        entityId: inputId,
        before: { disposition: input.disposition },
        after: { disposition: 'declined', reason },
      });
      await this.notifications.enqueue({
        channel: 'inbox',
        recipientType: 'participant',
        recipientId: input.authorParticipantId,
        topic: 'input.declined',
        text: { zh: `您提出的意见建议未予采纳，理由：${reason}`, en: `Your input was declined: ${reason}` },
        dedupeKey: `input.declined:${inputId}`,
      });
    });
    return { inputId, disposition: 'declined' };
  }

  // --- reading ------------------------------------------------------------------------------

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
    if (!item || !(await this.canSee(actor, item))) throw notFound('task item', id);
    const [view] = await this.views([item]);
    if (!view) throw notFound('task item', id);
    return view;
  }

  /** 一会一单: a meeting's decided matters as one list, with per-item progress. */
  async meetingList(meetingId: string): Promise<MeetingTaskList> {
    await this.meetings.require(meetingId);
    const rows = await this.items.find({ where: { meetingId }, order: { createdAt: 'ASC' } });
    const views = await this.views(rows);
    const items = views.map((v) => {
      const last = v.progress.at(-1);
      return {
        id: v.id,
        problem: v.problem,
        leadUnitId: v.leadUnitId,
        state: v.state,
        deadline: v.deadline,
        light: v.light,
        percent: v.state === 'closed' ? 100 : (last?.percent ?? null),
        lastProgressAt: last?.at ?? null,
      };
    });
    return {
      meetingId,
      counts: {
        total: items.length,
        closed: items.filter((i) => i.state === 'closed').length,
        open: items.filter((i) => i.state !== 'closed').length,
        overdue: items.filter((i) => i.light === 'red').length,
      },
      items,
    };
  }

  /** 政务公开: published items and their handling results, without any personal data. */
  async publicItems(): Promise<PublicTaskView[]> {
    const rows = await this.items
      .createQueryBuilder('t')
      .where('t.published_at IS NOT NULL')
      .orderBy('t.published_at', 'ASC')
      .getMany();
    if (rows.length === 0) return [];
    const [units, replies] = await Promise.all([
      this.directory.unitNames(rows.map((r) => r.leadUnitId)),
      this.items.manager.find(TaskReplyEntity, {
        where: { taskItemId: In(rows.map((r) => r.id)) },
        order: { createdAt: 'ASC' },
      }),
    ]);
    return rows.map((t) => ({
      id: t.id,
      meetingId: t.meetingId,
      problem: t.problem,
      leadUnit: units.get(t.leadUnitId) ?? '',
      measure: t.measure,
      deadline: t.deadline,
      taskClass: t.taskClass,
      classReason: t.classReason,
      state: t.state,
      reply: replies.filter((r) => r.taskItemId === t.id && r.sentAt !== null).at(-1)?.body ?? null,
      publishedAt: (t.publishedAt as Date).toISOString(),
      closedAt: t.closedAt?.toISOString() ?? null,
    }));
  }

  /** Items with everything the ledger shows, for the insights context. */
  async ledgerItems(filter: { meetingId?: string }): Promise<TaskItemView[]> {
    const rows = await this.items.find({
      where: filter.meetingId ? { meetingId: filter.meetingId } : {},
      order: { createdAt: 'ASC' },
    });
    return this.views(rows);
  }

  // --- the workflow -------------------------------------------------------------------------

  /** 交办 (or reassign after a return, possibly to another lead unit). */
  async assign(actor: Actor, id: string, dto: AssignDto = {}): Promise<TaskItemView> {
    if (dto.leadUnitId) await this.directory.requireUnits([dto.leadUnitId], 'leadUnitId');
    await this.db.transaction(async () => {
      const item = await this.actionableItem(actor, id, 'assign');
      await this.assignInTx(actor, item, dto);
    });
    return this.get(actor, id);
  }

  accept(actor: Actor, id: string): Promise<TaskItemView> {
    return this.step(actor, id, 'accept');
  }

  /** 退回: the unit refuses with a reason (and may suggest the right unit). */
  async returnItem(actor: Actor, id: string, dto: ReturnDto): Promise<TaskItemView> {
    if (dto.suggestedUnitId) await this.directory.requireUnits([dto.suggestedUnitId], 'suggestedUnitId');
    return this.step(actor, id, 'return', () =>
      Promise.resolve({ returnReason: dto.reason, suggestedUnitId: dto.suggestedUnitId ?? null }),
    );
  }

  start(actor: Actor, id: string): Promise<TaskItemView> {
    return this.step(actor, id, 'start', (item) => {
      if (item.deadlinePending) {
        this.writer.invalidTransition(
          item,
          'start',
          'the second handling waits for a new deadline from the secretariat',
        );
      }
      return Promise.resolve({});
    });
  }

  draftReply(actor: Actor, id: string, dto: DraftReplyDto): Promise<TaskItemView> {
    return this.step(actor, id, 'draft_reply', async (item) => {
      await this.db.manager.insert(TaskReplyEntity, {
        taskItemId: id,
        round: item.reopenCount + 1,
        body: dto.body,
        draftedBy: actor.accountId,
      });
      return {};
    });
  }

  /** 分级审核, level 1: the head (一把手) of the lead unit signs. */
  signReply(actor: Actor, id: string, comment?: string): Promise<TaskItemView> {
    return this.step(actor, id, 'sign_reply', async (item) => {
      await this.reviewReply(actor, item, 'sign', 'passed', comment);
      return {};
    });
  }

  /** Level 2: the government office (secretariat) reviews. */
  reviewReplyStep(actor: Actor, id: string, comment?: string): Promise<TaskItemView> {
    return this.step(actor, id, 'review_reply', async (item) => {
      await this.reviewReply(actor, item, 'review', 'passed', comment);
      return {};
    });
  }

  /** Level 3: the leader approves — not while a cooperating unit's opinion is outstanding. */
  approveReply(actor: Actor, id: string, comment?: string): Promise<TaskItemView> {
    return this.step(actor, id, 'approve_reply', async (item) => {
      const outstanding = await this.db.manager
        .createQueryBuilder(TaskCooperationOpinionEntity, 'o')
        .where('o.task_item_id = :id AND o.submitted_at IS NULL AND o.waived_at IS NULL', { id })
        .getMany();
      if (outstanding.length > 0) {
        throw conflict(
          `cooperating units have not sent their opinions: ${outstanding.map((o) => o.unitId).join(', ')} (the secretariat may waive them)`,
        );
      }
      const reply = await this.reviewReply(actor, item, 'approve', 'passed', comment);
      await this.db.manager.update(
        TaskReplyEntity,
        { id: reply.id },
        { approvedBy: actor.accountId, approvedAt: new Date() },
      );
      return {};
    });
  }

  /** Any level sends the draft back to drafting with a comment; the draft stays on record. */
  sendBackReply(actor: Actor, id: string, comment: string): Promise<TaskItemView> {
    return this.step(actor, id, 'send_back_reply', async (item) => {
      const level = replyLevel(item.state);
      if (!level) this.writer.invalidTransition(item, 'send_back_reply');
      await this.reviewReply(actor, item, level.level, 'sent_back', comment);
      return {};
    });
  }

  /** Sent to the proposer(s); when marked public, published (政务公开). */
  sendReply(actor: Actor, id: string, dto: SendReplyDto = {}): Promise<TaskItemView> {
    return this.step(actor, id, 'send_reply', async (item) => {
      const reply = await this.latestReply(item);
      await this.db.manager.update(TaskReplyEntity, { id: reply.id }, { sentAt: new Date() });
      const proposers = await this.db.manager.find(TaskProposerEntity, { where: { taskItemId: id } });
      for (const p of proposers) {
        await this.notifications.enqueue({
          channel: 'inbox',
          recipientType: 'participant',
          recipientId: p.participantId,
          topic: 'task.replied',
          text: {
            zh: `您提出的问题已答复，请评价：${reply.body}`,
            en: `Your matter has been answered; please rate the reply: ${reply.body}`,
          },
          dedupeKey: `task.replied:${reply.id}:${p.participantId}`,
        });
      }
      return dto.public ? { publishedAt: new Date() } : {};
    });
  }

  /**
   * A proposer rates the reply (each round kept, so first-time satisfaction stays derivable).
   * Unsatisfied → reopened for second handling, waiting for the secretariat to set a new
   * deadline (`deadlinePending`); once every proposer has rated and none is unsatisfied → evaluated.
   */
  async evaluate(actor: Actor, id: string, dto: EvaluateDto): Promise<TaskItemView> {
    await this.db.transaction(async () => {
      const item = await this.db.manager.findOne(TaskItemEntity, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!item) throw notFound('task item', id);
      if (!TASK_ACTION_ROLES.evaluate.includes(actor.role))
        throw forbidden(`role ${actor.role} may not evaluate`);
      const proposers = await this.db.manager.find(TaskProposerEntity, { where: { taskItemId: id } });
      const rater = proposers.find((p) => p.participantId === actor.participantId);
      if (!rater) throw forbidden('only the proposers rate the reply');
      // An anonymous proposer's rating and what it triggers are audited without an actor: the
      // audit log must not link their account to the item.
      const auditActor = rater.anonymous ? null : actor;
      if (item.state !== 'replied') this.writer.invalidTransition(item, 'evaluate');
      const round = item.reopenCount + 1;
      const res: unknown[] = await this.db.manager.query(
        `INSERT INTO task_evaluation (task_item_id, participant_id, round, rating, comment)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id`,
        [id, actor.participantId, round, dto.rating, dto.comment ?? null],
      );
      if (res.length === 0) throw conflict('you have already rated this reply');
      await this.audit.record(auditActor, {
        action: 'task.rated',
        entityType: 'task_item',
        entityId: id,
        after: { round, rating: dto.rating, comment: dto.comment ?? null },
      });
      if (dto.rating === 'unsatisfied') {
        await this.writer.move(auditActor, item, 'reopen', {
          reopenCount: item.reopenCount + 1,
          deadlinePending: true,
        });
        await this.notifySupervision(
          item,
          'task.reopened',
          {
            zh: `事项“${item.problem}”提出人不满意，已转二次办理，请重新确定办理时限。`,
            en: `A proposer is unsatisfied with “${item.problem}”: second handling; please set a new deadline.`,
          },
          `task.reopened:${item.id}:${round}`,
        );
        return;
      }
      const rated = await this.db.manager.count(TaskEvaluationEntity, { where: { taskItemId: id, round } });
      if (rated >= proposers.length) await this.writer.move(auditActor, item, 'evaluate', {});
    });
    return this.get(actor, id);
  }

  /** 销号: closes the item and schedules its re-inspection (回头看). */
  close(actor: Actor, id: string): Promise<TaskItemView> {
    return this.step(actor, id, 'close', async (item) => {
      if (item.state === 'replied') {
        const proposers = await this.db.manager.count(TaskProposerEntity, { where: { taskItemId: id } });
        if (proposers > 0) {
          throw new DomainException('INVALID_TRANSITION', 'the proposers have not all rated the reply yet', {
            allowed: [],
          });
        }
      }
      const now = this.clock.now();
      const round = item.reopenCount + 1;
      const dueAt = new Date(now.getTime() + this.config.reinspectionDays * 86_400_000);
      await this.db.manager.query(
        `INSERT INTO task_reinspection (task_item_id, round, due_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [id, round, dueAt],
      );
      await this.jobs.schedule({
        name: REINSPECTION_JOB,
        runAt: dueAt,
        key: `reinspection:${id}:${round}`,
        payload: { taskId: id, round },
      });
      return { closedAt: now };
    });
  }

  /** Reopen by the secretariat or supervision office, with a new deadline or waiting for one. */
  reopen(actor: Actor, id: string, dto: ReopenDto): Promise<TaskItemView> {
    return this.step(actor, id, 'reopen', async (item) => {
      if (dto.deadline) await this.recordDeadlineSet(actor, item, dto.deadline, dto.reason);
      return {
        reopenCount: item.reopenCount + 1,
        closedAt: null,
        deadlinePending: !dto.deadline,
        ...(dto.deadline ? { deadline: dto.deadline } : {}),
      };
    });
  }

  // --- cooperating opinions and progress ---------------------------------------------------

  /** A cooperating unit sends its opinion to the lead unit. */
  async submitOpinion(actor: Actor, id: string, body: string): Promise<TaskItemView> {
    await this.db.transaction(async () => {
      const item = await this.visibleItem(actor, id);
      if (actor.role !== 'unit_handler') throw forbidden('only a cooperating unit sends an opinion');
      if (!WORKING_STATES.includes(item.state)) this.writer.invalidTransition(item, 'opinion');
      const res = await this.db.manager
        .createQueryBuilder()
        .update(TaskCooperationOpinionEntity)
        .set({ body, submittedBy: actor.accountId, submittedAt: new Date() })
        .where('task_item_id = :id AND unit_id = :unit AND submitted_at IS NULL AND waived_at IS NULL', {
          id,
          unit: actor.unitId,
        })
        .execute();
      if (res.affected !== 1) {
        const row = await this.db.manager.findOne(TaskCooperationOpinionEntity, {
          where: { taskItemId: id, unitId: actor.unitId ?? '' },
        });
        if (!row) throw forbidden('your unit does not cooperate on this item');
        throw conflict('the opinion of your unit was already sent or waived');
      }
      await this.writer.record(actor, item, 'opinion', null, { unitId: actor.unitId, body });
    });
    return this.get(actor, id);
  }

  /** The secretariat waives an outstanding opinion (recorded with the reason). */
  async waiveOpinion(actor: Actor, id: string, unitId: string, reason: string): Promise<TaskItemView> {
    await this.db.transaction(async () => {
      const item = await this.visibleItem(actor, id);
      const res = await this.db.manager
        .createQueryBuilder()
        .update(TaskCooperationOpinionEntity)
        .set({ waivedBy: actor.accountId, waivedAt: new Date(), waiveReason: reason })
        .where('task_item_id = :id AND unit_id = :unitId AND submitted_at IS NULL AND waived_at IS NULL', {
          id,
          unitId,
        })
        .execute();
      if (res.affected !== 1) throw conflict('no outstanding opinion of that unit on this item');
      await this.writer.record(actor, item, 'opinion_waived', null, { unitId, reason });
    });
    return this.get(actor, id);
  }

  /** A progress report of the lead unit (text, 0–100 %, attachment links). */
  async reportProgress(actor: Actor, id: string, dto: ProgressReportDto): Promise<TaskItemView> {
    await this.db.transaction(async () => {
      const item = await this.visibleItem(actor, id);
      if (actor.role !== 'unit_handler' || actor.unitId !== item.leadUnitId)
        throw forbidden('only the lead unit reports progress');
      if (!WORKING_STATES.includes(item.state) || item.state === 'assigned')
        this.writer.invalidTransition(item, 'report_progress');
      const report = {
        taskItemId: id,
        unitId: item.leadUnitId,
        text: dto.text,
        percent: dto.percent,
        attachments: dto.attachments ?? [],
        reportedBy: actor.accountId,
      };
      await this.db.manager.insert(TaskProgressReportEntity, report);
      await this.writer.record(actor, item, 'progress', null, report);
    });
    return this.get(actor, id);
  }

  // --- helpers shared with the supervision service -----------------------------------------

  /** Sets a new deadline (history row + item), clearing a pending one. */
  async recordDeadlineSet(
    actor: Actor,
    item: TaskItemEntity,
    deadline: string,
    reason: string,
  ): Promise<void> {
    await this.db.manager.insert(TaskDeadlineChangeEntity, {
      taskItemId: item.id,
      kind: 'set',
      previousDeadline: item.deadline,
      requestedDeadline: deadline,
      reason,
      status: 'approved',
      requestedBy: actor.accountId,
      decidedBy: actor.accountId,
      decidedAt: new Date(),
    });
  }

  /** Notifies the lead unit and the supervision office (zh + en), once per dedupe key. */
  async notifySupervision(
    item: TaskItemEntity,
    topic: string,
    text: { zh: string; en: string },
    dedupeKey: string,
  ): Promise<void> {
    await this.notifications.enqueue({
      channel: 'inbox',
      recipientType: 'unit',
      recipientId: item.leadUnitId,
      topic,
      text,
      dedupeKey: `${dedupeKey}:unit`,
    });
    for (const accountId of await this.directory.accountIdsByRole('supervisor')) {
      await this.notifications.enqueue({
        channel: 'inbox',
        recipientType: 'account',
        recipientId: accountId,
        topic,
        text,
        dedupeKey: `${dedupeKey}:${accountId}`,
      });
    }
  }

  async canSee(actor: Actor, item: TaskItemEntity): Promise<boolean> {
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

  async visibleItem(actor: Actor, id: string): Promise<TaskItemEntity> {
    const item = await this.db.manager.findOne(TaskItemEntity, { where: { id } });
    if (!item || !(await this.canSee(actor, item))) throw notFound('task item', id);
    return item;
  }

  // ---------------------------------------------------------------------------------------

  private async step(
    actor: Actor,
    id: string,
    action: TaskAction,
    work?: (item: TaskItemEntity) => Promise<Partial<TaskItemEntity>>,
  ): Promise<TaskItemView> {
    await this.db.transaction(async () => {
      const item = await this.actionableItem(actor, id, action);
      const changes = (await work?.(item)) ?? {};
      await this.writer.move(actor, item, action, changes);
    });
    return this.get(actor, id);
  }

  /** Visible, the actor's role may take the action here, and the table allows it from this state. */
  private async actionableItem(actor: Actor, id: string, action: TaskAction): Promise<TaskItemEntity> {
    const item = await this.visibleItem(actor, id);
    if (!TASK_ACTION_ROLES[action].includes(actor.role))
      throw forbidden(`role ${actor.role} may not ${action}`);
    if (actor.role === 'unit_handler' && actor.unitId !== item.leadUnitId) {
      throw forbidden('only the lead unit handles this step');
    }
    if (taskTarget(item.state, action) === null) this.writer.invalidTransition(item, action);
    const level = action === 'send_back_reply' || action === 'sign_reply' ? replyLevel(item.state) : null;
    if (level && level.role !== actor.role) {
      throw forbidden(`at this level (${level.level}) only the ${level.role} acts on the reply`);
    }
    if (level?.unitHead && !(await this.directory.isUnitHead(actor.accountId, item.leadUnitId))) {
      throw forbidden('only the head of the lead unit signs the reply');
    }
    return item;
  }

  private async assignInTx(actor: Actor, item: TaskItemEntity, dto: AssignDto): Promise<void> {
    const leadUnitId = dto.leadUnitId ?? item.leadUnitId;
    if (leadUnitId !== item.leadUnitId) {
      const coop = await this.db.manager.count(TaskCooperatingUnitEntity, {
        where: { taskItemId: item.id, unitId: leadUnitId },
      });
      if (coop > 0)
        throw invalid('the new lead unit cooperates on this item', { leadUnitId: ['is a cooperating unit'] });
    }
    await this.writer.move(actor, item, 'assign', {
      leadUnitId,
      returnReason: null,
      suggestedUnitId: null,
    });
    await this.notifications.enqueue({
      channel: 'inbox',
      recipientType: 'unit',
      recipientId: leadUnitId,
      topic: 'task.assigned',
      text: {
        zh: `交办事项：${item.problem}（时限 ${item.deadline}）`,
        en: `Item assigned to your unit: ${item.problem} (due ${item.deadline})`,
      },
    });
  }

  /** Adds source inputs, and their authors and co-signers (联名) as proposers. */
  private async addSources(
    actor: Actor,
    item: TaskItemEntity,
    inputs: InputRef[],
    allMerged: boolean,
  ): Promise<void> {
    if (inputs.length === 0) return;
    const merged = allMerged ? inputs : inputs.slice(1);
    await this.live.markMerged(
      merged.map((i) => i.id),
      item.id,
    );
    await this.db.manager
      .createQueryBuilder()
      .insert()
      .into(TaskSourceInputEntity)
      .values(inputs.map((i) => ({ taskItemId: item.id, inputId: i.id })))
      .orIgnore()
      .execute();
    const cosigns = await this.live.cosignersOf(inputs.map((i) => i.id));
    for (const [participantId, anonymous] of proposersOf(inputs, cosigns)) {
      await this.db.manager.query(
        `INSERT INTO task_proposer (task_item_id, participant_id, anonymous) VALUES ($1, $2, $3)
         ON CONFLICT (task_item_id, participant_id) DO UPDATE SET anonymous = task_proposer.anonymous AND EXCLUDED.anonymous`,
        [item.id, participantId, anonymous],
      );
    }
    if (merged.length > 0) {
      await this.writer.record(actor, item, 'inputs_merged', null, { inputIds: merged.map((i) => i.id) });
    }
  }

  private async reviewReply(
    actor: Actor,
    item: TaskItemEntity,
    level: 'sign' | 'review' | 'approve',
    decision: 'passed' | 'sent_back',
    comment: string | undefined,
  ): Promise<TaskReplyEntity> {
    const reply = await this.latestReply(item);
    await this.db.manager.insert(TaskReplyReviewEntity, {
      replyId: reply.id,
      taskItemId: item.id,
      level,
      decision,
      comment: comment ?? null,
      actorId: actor.accountId,
    });
    return reply;
  }

  private async latestReply(item: TaskItemEntity): Promise<TaskReplyEntity> {
    const reply = await this.db.manager.findOne(TaskReplyEntity, {
      where: { taskItemId: item.id, round: item.reopenCount + 1 },
      order: { createdAt: 'DESC' },
    });
    if (!reply)
      throw new DomainException('INVALID_TRANSITION', 'there is no reply draft', {
        allowed: allowedTaskActions(item.state),
      });
    return reply;
  }

  private async views(items: TaskItemEntity[]): Promise<TaskItemView[]> {
    if (items.length === 0) return [];
    const ids = items.map((i) => i.id);
    const m = this.items.manager;
    const where = { where: { taskItemId: In(ids) } };
    const [
      coop,
      sources,
      proposers,
      replies,
      reviews,
      evaluations,
      progress,
      opinions,
      changes,
      reinspections,
      calendar,
    ] = await Promise.all([
      m.find(TaskCooperatingUnitEntity, where),
      m.find(TaskSourceInputEntity, where),
      m.find(TaskProposerEntity, where),
      m.find(TaskReplyEntity, { ...where, order: { createdAt: 'ASC' } }),
      m.find(TaskReplyReviewEntity, { ...where, order: { createdAt: 'ASC' } }),
      m.find(TaskEvaluationEntity, { ...where, order: { createdAt: 'ASC' } }),
      m.find(TaskProgressReportEntity, { ...where, order: { createdAt: 'ASC' } }),
      m.find(TaskCooperationOpinionEntity, where),
      m.find(TaskDeadlineChangeEntity, { ...where, order: { createdAt: 'ASC' } }),
      m.find(TaskReinspectionEntity, { ...where, order: { round: 'ASC' } }),
      this.calendar.calendar(),
    ]);
    const today = this.calendar.today();
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
        deadlinePending: i.deadlinePending,
        light: this.calendar.light(i, calendar, today),
        closeOutStandard: i.closeOutStandard,
        taskClass: i.taskClass,
        classReason: i.classReason,
        urgency: i.urgency,
        state: i.state,
        reopenCount: i.reopenCount,
        returnReason: i.returnReason,
        suggestedUnitId: i.suggestedUnitId,
        closedAt: i.closedAt?.toISOString() ?? null,
        publishedAt: i.publishedAt?.toISOString() ?? null,
        createdAt: i.createdAt.toISOString(),
        sourceInputIds: sources.filter((s) => s.taskItemId === i.id).map((s) => s.inputId),
        proposers: {
          participantIds: mine.filter((p) => !p.anonymous).map((p) => p.participantId),
          anonymousCount: mine.filter((p) => p.anonymous).length,
        },
        replies: replies
          .filter((r) => r.taskItemId === i.id)
          .map((r) => ({
            id: r.id,
            round: r.round,
            body: r.body,
            approved: r.approvedAt !== null,
            sentAt: r.sentAt?.toISOString() ?? null,
            reviews: reviews
              .filter((v) => v.replyId === r.id)
              .map((v) => ({
                level: v.level,
                decision: v.decision,
                comment: v.comment,
                at: v.createdAt.toISOString(),
              })),
          })),
        evaluations: evaluations
          .filter((e) => e.taskItemId === i.id)
          .map((e) => ({
            round: e.round,
            rating: e.rating,
            comment: e.comment,
            at: e.createdAt.toISOString(),
          })),
        progress: progress
          .filter((p) => p.taskItemId === i.id)
          .map((p) => ({
            text: p.text,
            percent: p.percent,
            attachments: p.attachments,
            at: p.createdAt.toISOString(),
          })),
        opinions: opinions
          .filter((o) => o.taskItemId === i.id)
          .map((o) => ({
            unitId: o.unitId,
            dueDate: o.dueDate,
            body: o.body,
            submittedAt: o.submittedAt?.toISOString() ?? null,
            waivedAt: o.waivedAt?.toISOString() ?? null,
            waiveReason: o.waiveReason,
          })),
        deadlineChanges: changes
          .filter((c) => c.taskItemId === i.id)
          .map((c) => ({
            id: c.id,
            kind: c.kind,
            previousDeadline: c.previousDeadline,
            requestedDeadline: c.requestedDeadline,
            reason: c.reason,
            status: c.status,
            decisionComment: c.decisionComment,
            at: c.createdAt.toISOString(),
          })),
        reinspections: reinspections
          .filter((r) => r.taskItemId === i.id)
          .map((r) => ({ round: r.round, dueAt: r.dueAt.toISOString(), outcome: r.outcome, note: r.note })),
        allowedActions: allowedTaskActions(i.state),
      };
    });
  }
}

export const REINSPECTION_JOB = 'task.reinspection_due';
export const SCAN_JOB = 'supervision.scan';

/**
 * Proposers of a set of inputs: their authors and co-signers (联名), each mapped to whether they
 * stay anonymous — true only if every input they proposed or co-signed was anonymous (the
 * co-signers of an anonymous input are never shown either, only counted).
 */
export function proposersOf(
  inputs: InputRef[],
  cosigns: { inputId: string; participantId: string }[] = [],
): Map<string, boolean> {
  const proposers = new Map<string, boolean>();
  const add = (participantId: string, anonymous: boolean): void => {
    proposers.set(participantId, (proposers.get(participantId) ?? true) && anonymous);
  };
  const anonymousInput = new Map(inputs.map((i) => [i.id, i.anonymous]));
  for (const i of inputs) add(i.authorParticipantId, i.anonymous);
  for (const c of cosigns) add(c.participantId, anonymousInput.get(c.inputId) ?? false);
  return proposers;
}
