import { Injectable } from '@nestjs/common';
import type { TaskState } from '@liexi/contracts';
import { DirectoryService } from '@liexi/directory';
import { type InputRef, LiveService } from '@liexi/live';
import { MeetingsService } from '@liexi/meetings';
import {
  type Actor,
  AuditService,
  Clock,
  conflict,
  Db,
  DomainException,
  EventLogService,
  forbidden,
  invalid,
  meetingStream,
  NotificationService,
} from '@liexi/platform';
import { DeadlinesService } from './deadlines.service';
import type { AssignDto, CreateTaskItemDto, ProgressReportDto, ReopenDto, ReturnDto } from './handling.dto';
import { InputDispositionsService } from './input-dispositions.service';
import { ReinspectionService } from './reinspection.service';
import { TaskCooperationOpinionEntity, TaskProgressReportEntity } from './supervision.entity';
import { TaskAccessService } from './task-access.service';
import { TaskItemEntity } from './task-item.entity';
import type { TaskItemView } from './task-item.view';
import { TaskCooperatingUnitEntity, TaskProposerEntity } from './task-links.entity';
import { TaskQueriesService } from './task-queries.service';
import { TaskWriter } from './task-writer';
import { HANDLING_STATES } from './task-workflow';
import { WorkCalendarService } from './work-calendar.service';

/** States in which the lead unit reports progress and cooperating units send opinions. */
const WORKING_STATES: readonly TaskState[] = HANDLING_STATES.filter((s) => s !== 'returned');

/**
 * The item's own workflow: create (一会一单), assign (交办), accept or return (退回), start,
 * progress, cooperating opinions, close-out (销号) and reopen. The reply's approval chain and
 * evaluation live in `ReplyApprovalService`, deadlines in `DeadlinesService`.
 */
@Injectable()
export class TaskCommandsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly events: EventLogService,
    private readonly writer: TaskWriter,
    private readonly access: TaskAccessService,
    private readonly queries: TaskQueriesService,
    private readonly dispositions: InputDispositionsService,
    private readonly deadlines: DeadlinesService,
    private readonly reinspections: ReinspectionService,
    private readonly calendar: WorkCalendarService,
    private readonly notifications: NotificationService,
    private readonly clock: Clock,
    private readonly directory: DirectoryService,
    private readonly meetings: MeetingsService,
    private readonly live: LiveService,
  ) {}

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
    const id = await this.db.transaction(async () => {
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
      // The change counter belongs to the event stream, not to the audit record of the item.
      const { version: _version, ...created } = item;
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
        after: { ...created, cooperatingUnitIds: cooperating, inputIds: dto.inputIds ?? [] },
      });
      if (ordered.length > 0) {
        await this.live.markConverted([ordered[0]?.id], item.id);
        await this.dispositions.addSources(actor, item, ordered, false);
      }
      if (meetingId) {
        await this.events.append(meetingStream(meetingId), 'task.created', {
          taskId: item.id,
          problem: item.problem,
          leadUnitId: item.leadUnitId,
          sourceInputIds: ordered.map((i) => i.id),
        });
      }
      await this.writer.announce([{ item, action: 'created' }]);
      if (dto.assign) await this.assignInTx(actor, item, {});
      return item.id;
    });
    return this.queries.get(actor, id);
  }

  /** 交办 (or reassign after a return, possibly to another lead unit). */
  async assign(actor: Actor, id: string, dto: AssignDto = {}): Promise<TaskItemView> {
    await this.db.transaction(async () => {
      if (dto.leadUnitId) await this.directory.requireUnits([dto.leadUnitId], 'leadUnitId');
      const item = await this.access.actionableItem(actor, id, 'assign');
      await this.assignInTx(actor, item, dto);
    });
    return this.queries.get(actor, id);
  }

  async accept(actor: Actor, id: string): Promise<TaskItemView> {
    await this.access.step(actor, id, 'accept');
    return this.queries.get(actor, id);
  }

  /** 退回: the unit refuses with a reason (and may suggest the right unit). */
  async returnItem(actor: Actor, id: string, dto: ReturnDto): Promise<TaskItemView> {
    if (dto.suggestedUnitId) await this.directory.requireUnits([dto.suggestedUnitId], 'suggestedUnitId');
    await this.access.step(actor, id, 'return', () =>
      Promise.resolve({ returnReason: dto.reason, suggestedUnitId: dto.suggestedUnitId ?? null }),
    );
    return this.queries.get(actor, id);
  }

  async start(actor: Actor, id: string): Promise<TaskItemView> {
    await this.access.step(actor, id, 'start', (item) => {
      if (item.deadlinePending) {
        this.writer.invalidTransition(
          item,
          'start',
          'the second handling waits for a new deadline from the secretariat',
        );
      }
      return Promise.resolve({});
    });
    return this.queries.get(actor, id);
  }

  /** 销号: closes the item and schedules its re-inspection (回头看). */
  async close(actor: Actor, id: string): Promise<TaskItemView> {
    await this.access.step(actor, id, 'close', async (item) => {
      if (item.state === 'replied') {
        const proposers = await this.db.manager.count(TaskProposerEntity, { where: { taskItemId: id } });
        if (proposers > 0) {
          throw new DomainException('INVALID_TRANSITION', 'the proposers have not all rated the reply yet', {
            allowed: [],
          });
        }
      }
      const now = this.clock.now();
      await this.reinspections.schedule(item, now);
      return { closedAt: now };
    });
    return this.queries.get(actor, id);
  }

  /** Reopen by the secretariat or supervision office, with a new deadline or waiting for one. */
  async reopen(actor: Actor, id: string, dto: ReopenDto): Promise<TaskItemView> {
    await this.access.step(actor, id, 'reopen', async (item) => {
      if (dto.deadline) await this.deadlines.recordSet(actor, item, dto.deadline, dto.reason);
      return {
        reopenCount: item.reopenCount + 1,
        closedAt: null,
        deadlinePending: !dto.deadline,
        ...(dto.deadline ? { deadline: dto.deadline } : {}),
      };
    });
    return this.queries.get(actor, id);
  }

  /** A cooperating unit sends its opinion to the lead unit. */
  async submitOpinion(actor: Actor, id: string, body: string): Promise<TaskItemView> {
    await this.db.transaction(async () => {
      const item = await this.access.visibleItem(actor, id);
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
    return this.queries.get(actor, id);
  }

  /** The secretariat waives an outstanding opinion (recorded with the reason). */
  async waiveOpinion(actor: Actor, id: string, unitId: string, reason: string): Promise<TaskItemView> {
    await this.db.transaction(async () => {
      const item = await this.access.visibleItem(actor, id);
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
    return this.queries.get(actor, id);
  }

  /** A progress report of the lead unit (text, 0–100 %, attachment links). */
  async reportProgress(actor: Actor, id: string, dto: ProgressReportDto): Promise<TaskItemView> {
    await this.db.transaction(async () => {
      const item = await this.access.visibleItem(actor, id);
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
    return this.queries.get(actor, id);
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
}
