import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  type ChannelItem,
  type ChannelJoinResult,
  type ChannelSnapshot,
  SUPERVISION_STREAM,
  type SupervisionLight,
} from '@liexi/contracts';
import { DirectoryService } from '@liexi/directory';
import {
  type Actor,
  APP_CONFIG,
  type AppConfig,
  Clock,
  conflict,
  EventLogService,
  forbidden,
  invalid,
  JobRunner,
  Db,
} from '@liexi/platform';
import { In, Not, Repository } from 'typeorm';
import { HandlingService, REINSPECTION_JOB, SCAN_JOB, type TaskItemView } from './handling.service';
import type { DecideExtensionDto, NewDeadlineDto, ReinspectionDto } from './handling.dto';
import {
  TaskCooperationOpinionEntity,
  TaskDeadlineChangeEntity,
  TaskReinspectionEntity,
} from './supervision.entity';
import { TaskItemEntity } from './task-item.entity';
import { TaskWriter } from './task-writer';
import { HANDLING_STATES } from './task-workflow';
import { WorkCalendarService } from './work-calendar.service';
import { addDays, workingDaysBetween, zonedMorning } from './working-days';

/** A client further behind than this gets a snapshot instead of the events it missed. */
export const MAX_CHANNEL_CATCH_UP = 1000;
const OVERSEERS = ['secretariat', 'supervisor', 'leader'];

export interface SupervisionDashboard {
  today: string;
  lights: Record<SupervisionLight, number>;
  awaitingDeadline: number;
  pendingExtensions: number;
  dueReinspections: number;
  /** Cooperating opinions past their due date, neither sent nor waived. */
  overdueOpinions: { taskId: string; unitId: string; dueDate: string }[];
  overdue: {
    id: string;
    problem: string;
    leadUnitId: string;
    deadline: string;
    workingDaysOverdue: number;
  }[];
  units: {
    unitId: string;
    unitName: string;
    total: number;
    open: number;
    closed: number;
    green: number;
    yellow: number;
    red: number;
  }[];
}

/**
 * 督办: deadlines and their extensions, the holiday-calendar light, durable jobs (reminders,
 * overdue flags, re-inspection), the supervision dashboard and the live item channels.
 */
@Injectable()
export class SupervisionService implements OnModuleInit {
  constructor(
    private readonly db: Db,
    private readonly writer: TaskWriter,
    private readonly handling: HandlingService,
    private readonly calendar: WorkCalendarService,
    private readonly events: EventLogService,
    private readonly jobs: JobRunner,
    private readonly clock: Clock,
    private readonly directory: DirectoryService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Through the unit of work: inside a transaction, on its connection. */
  private get items(): Repository<TaskItemEntity> {
    return this.db.manager.getRepository(TaskItemEntity);
  }

  onModuleInit(): void {
    this.jobs.register(SCAN_JOB, (_payload, now) => this.scan(now));
    this.jobs.register(REINSPECTION_JOB, (payload, now) =>
      this.reinspectionDue(String(payload.taskId), Number(payload.round), now),
    );
    this.jobs.onStart((now) => this.ensureScan(now));
  }

  // --- deadlines ----------------------------------------------------------------------------

  /** The lead unit asks for more time (one pending request at a time). */
  async requestExtension(actor: Actor, id: string, dto: NewDeadlineDto): Promise<TaskItemView> {
    await this.db.transaction(async () => {
      const item = await this.handling.visibleItem(actor, id);
      if (actor.role !== 'unit_handler' || actor.unitId !== item.leadUnitId)
        throw forbidden('only the lead unit asks for an extension');
      if (!HANDLING_STATES.includes(item.state) || item.state === 'returned')
        this.writer.invalidTransition(item, 'request_extension');
      if (dto.deadline <= item.deadline)
        throw invalid('an extension must move the deadline later', {
          deadline: ['must be after the deadline'],
        });
      const res: unknown[] = await this.db.manager.query(
        `INSERT INTO task_deadline_change (task_item_id, kind, previous_deadline, requested_deadline, reason, status, requested_by)
         VALUES ($1, 'extension', $2, $3, $4, 'pending', $5) ON CONFLICT DO NOTHING RETURNING id`,
        [id, item.deadline, dto.deadline, dto.reason, actor.accountId],
      );
      if (res.length === 0) throw conflict('an extension request is already pending');
      await this.writer.record(actor, item, 'extension_requested', { deadline: item.deadline }, dto);
    });
    return this.handling.get(actor, id);
  }

  /** The secretariat approves (the deadline moves) or rejects; the history stays. */
  async decideExtension(
    actor: Actor,
    id: string,
    changeId: string,
    dto: DecideExtensionDto,
  ): Promise<TaskItemView> {
    await this.db.transaction(async () => {
      const item = await this.handling.visibleItem(actor, id);
      const status = dto.approve ? 'approved' : 'rejected';
      const res = await this.db.manager
        .createQueryBuilder()
        .update(TaskDeadlineChangeEntity)
        .set({
          status,
          decidedBy: actor.accountId,
          decidedAt: new Date(),
          decisionComment: dto.comment ?? null,
        })
        .where("id = :changeId AND task_item_id = :id AND status = 'pending'", { changeId, id })
        .returning('*')
        .execute();
      const change = (res.raw as { requested_deadline: string }[])[0];
      if (!change) throw conflict('no pending extension request with that id');
      const before = { deadline: item.deadline };
      if (dto.approve) {
        await this.db.manager.update(TaskItemEntity, { id }, { deadline: change.requested_deadline });
        item.deadline = change.requested_deadline;
      }
      await this.writer.record(actor, item, `extension_${status}`, before, {
        deadline: item.deadline,
        comment: dto.comment ?? null,
      });
      await this.handling.notifySupervision(
        item,
        `task.extension_${status}`,
        dto.approve
          ? {
              zh: `延期申请已批准，新时限 ${item.deadline}。`,
              en: `Extension approved: the new deadline is ${item.deadline}.`,
            }
          : {
              zh: `延期申请未获批准，时限仍为 ${item.deadline}。`,
              en: `Extension rejected: the deadline stays ${item.deadline}.`,
            },
        `task.extension:${changeId}`,
      );
    });
    return this.handling.get(actor, id);
  }

  /** The secretariat sets a deadline (e.g. for the second handling of a reopened item). */
  async setDeadline(actor: Actor, id: string, dto: NewDeadlineDto): Promise<TaskItemView> {
    await this.db.transaction(async () => {
      const item = await this.handling.visibleItem(actor, id);
      if (item.state === 'closed' || item.state === 'draft')
        this.writer.invalidTransition(item, 'set_deadline');
      await this.handling.recordDeadlineSet(actor, item, dto.deadline, dto.reason);
      const before = { deadline: item.deadline, deadlinePending: item.deadlinePending };
      await this.db.manager.update(
        TaskItemEntity,
        { id },
        { deadline: dto.deadline, deadlinePending: false },
      );
      Object.assign(item, { deadline: dto.deadline, deadlinePending: false });
      await this.writer.record(actor, item, 'deadline_set', before, { ...dto, deadlinePending: false });
    });
    return this.handling.get(actor, id);
  }

  // --- re-inspection (回头看) ----------------------------------------------------------------

  /** Held: the item stays closed. Relapsed: reopened for second handling (new deadline or pending). */
  async recordReinspection(actor: Actor, id: string, dto: ReinspectionDto): Promise<TaskItemView> {
    await this.db.transaction(async () => {
      const item = await this.handling.visibleItem(actor, id);
      if (item.state !== 'closed')
        this.writer.invalidTransition(item, 'reinspect', 'only a closed item is re-inspected');
      const round = item.reopenCount + 1;
      const res = await this.db.manager
        .createQueryBuilder()
        .update(TaskReinspectionEntity)
        .set({
          outcome: dto.outcome,
          note: dto.note ?? null,
          recordedBy: actor.accountId,
          recordedAt: new Date(),
        })
        .where('task_item_id = :id AND round = :round AND outcome IS NULL', { id, round })
        .execute();
      if (res.affected !== 1) throw conflict('the re-inspection of this round is already recorded');
      await this.writer.record(actor, item, 'reinspected', null, { round, ...dto });
      if (dto.outcome === 'relapsed') {
        if (dto.deadline)
          await this.handling.recordDeadlineSet(actor, item, dto.deadline, dto.note ?? '回头看：问题反弹');
        await this.writer.move(actor, item, 'reopen', {
          reopenCount: item.reopenCount + 1,
          closedAt: null,
          deadlinePending: !dto.deadline,
          ...(dto.deadline ? { deadline: dto.deadline } : {}),
        });
      }
    });
    return this.handling.get(actor, id);
  }

  // --- jobs ---------------------------------------------------------------------------------

  /** Makes sure today's supervision scan is scheduled (idempotent per local date). */
  async ensureScan(now: Date = this.clock.now()): Promise<void> {
    await this.jobs.schedule({
      name: SCAN_JOB,
      runAt: now,
      key: `${SCAN_JOB}:${this.calendar.today(now)}`,
    });
  }

  /**
   * The daily scan: reminders N working days before the deadline and overdue flags, each sent
   * once per item and deadline (task_alert), to the lead unit and the supervision office; then
   * schedules tomorrow's scan. Idempotent: running it twice sends nothing twice.
   */
  async scan(now: Date): Promise<void> {
    const today = this.calendar.today(now);
    const calendar = await this.calendar.calendar(this.db.manager);
    const open = await this.db.manager.find(TaskItemEntity, {
      where: { state: In(HANDLING_STATES.filter((s) => s !== 'returned')), deadlinePending: false },
    });
    for (const item of open) {
      const overdue = today > item.deadline;
      const left = workingDaysBetween(today, item.deadline, calendar);
      const kind = overdue ? 'overdue' : left <= this.config.reminderWorkingDays ? 'reminder' : null;
      if (!kind) continue;
      const fresh: unknown[] = await this.db.manager.query(
        `INSERT INTO task_alert (task_item_id, kind, deadline) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING id`,
        [item.id, kind, item.deadline],
      );
      if (fresh.length === 0) continue;
      const text =
        kind === 'overdue'
          ? {
              zh: `【红灯】事项“${item.problem}”已超过办理时限 ${item.deadline}，请尽快办理。`,
              en: `[Red] “${item.problem}” is overdue (deadline ${item.deadline}).`,
            }
          : {
              zh: `【提醒】事项“${item.problem}”办理时限 ${item.deadline}，还剩 ${left} 个工作日。`,
              en: `[Reminder] “${item.problem}” is due ${item.deadline}: ${left} working day(s) left.`,
            };
      await this.handling.notifySupervision(
        item,
        `task.${kind}`,
        text,
        `task.${kind}:${item.id}:${item.deadline}`,
      );
      await this.writer.record(null, item, kind, null, {
        deadline: item.deadline,
        today,
        workingDaysLeft: left,
      });
    }
    const tomorrow = addDays(today, 1);
    await this.jobs.schedule({
      name: SCAN_JOB,
      runAt: zonedMorning(tomorrow, this.config.timeZone),
      key: `${SCAN_JOB}:${tomorrow}`,
    });
  }

  /** The re-inspection fell due: tell the supervision office and the unit (once). */
  async reinspectionDue(taskId: string, round: number, now: Date): Promise<void> {
    const res = await this.db.manager
      .createQueryBuilder()
      .update(TaskReinspectionEntity)
      .set({ notifiedAt: now })
      .where('task_item_id = :taskId AND round = :round AND notified_at IS NULL', { taskId, round })
      .execute();
    if (res.affected !== 1) return;
    const item = await this.db.manager.findOne(TaskItemEntity, { where: { id: taskId } });
    if (!item) return;
    await this.handling.notifySupervision(
      item,
      'task.reinspection_due',
      {
        zh: `【回头看】事项“${item.problem}”销号已满期限，请组织回头看并记录结果。`,
        en: `[Re-inspection] “${item.problem}” is due for re-inspection; please record the outcome.`,
      },
      `task.reinspection_due:${taskId}:${round}`,
    );
    await this.writer.record(null, item, 'reinspection_due', null, { round });
  }

  // --- dashboard ----------------------------------------------------------------------------

  /** Overdue items, lights and counts per unit — computed from the records on each call. */
  async dashboard(): Promise<SupervisionDashboard> {
    const today = this.calendar.today();
    const calendar = await this.calendar.calendar();
    const all = await this.items.find({ where: { state: Not('draft') }, order: { deadline: 'ASC' } });
    const names = await this.directory.unitNames(all.map((i) => i.leadUnitId));
    const lights: Record<SupervisionLight, number> = { green: 0, yellow: 0, red: 0 };
    const units = new Map<string, SupervisionDashboard['units'][number]>();
    const overdue: SupervisionDashboard['overdue'] = [];
    for (const item of all) {
      const light = this.calendar.light(item, calendar, today);
      const u = units.get(item.leadUnitId) ?? {
        unitId: item.leadUnitId,
        unitName: names.get(item.leadUnitId) ?? '',
        total: 0,
        open: 0,
        closed: 0,
        green: 0,
        yellow: 0,
        red: 0,
      };
      u.total++;
      if (item.state === 'closed') u.closed++;
      else u.open++;
      if (light) {
        lights[light]++;
        u[light]++;
      }
      if (light === 'red') {
        overdue.push({
          id: item.id,
          problem: item.problem,
          leadUnitId: item.leadUnitId,
          deadline: item.deadline,
          workingDaysOverdue: workingDaysBetween(item.deadline, today, calendar),
        });
      }
      units.set(item.leadUnitId, u);
    }
    const [pendingExtensions, dueReinspections, lateOpinions] = await Promise.all([
      this.items.manager.count(TaskDeadlineChangeEntity, { where: { status: 'pending' } }),
      this.items.manager
        .createQueryBuilder(TaskReinspectionEntity, 'r')
        .where('r.outcome IS NULL AND r.due_at <= :now', { now: this.clock.now() })
        .getCount(),
      this.items.manager
        .createQueryBuilder(TaskCooperationOpinionEntity, 'o')
        .innerJoin(TaskItemEntity, 't', 't.id = o.task_item_id')
        .where('o.submitted_at IS NULL AND o.waived_at IS NULL AND o.due_date < :today', { today })
        .andWhere('t.state IN (:...open)', { open: [...HANDLING_STATES] })
        .orderBy('o.due_date', 'ASC')
        .getMany(),
    ]);
    return {
      today,
      lights,
      awaitingDeadline: all.filter((i) => i.deadlinePending).length,
      pendingExtensions,
      dueReinspections,
      overdueOpinions: lateOpinions.map((o) => ({
        taskId: o.taskItemId,
        unitId: o.unitId,
        dueDate: o.dueDate,
      })),
      overdue,
      units: [...units.values()].sort((a, b) => b.red - a.red || b.open - a.open),
    };
  }

  // --- live channels ------------------------------------------------------------------------

  /**
   * `channel.join`: `unit:<id>` for that unit's handlers (and overseers), `supervision` for the
   * secretariat, supervisors and leaders. Subscribes first, then answers with the events after
   * `afterSeq` (gap-free) or a snapshot with the seq it reflects.
   */
  async join(
    actor: Actor,
    channel: string,
    afterSeq: number | undefined,
    subscribe: (stream: string) => Promise<void>,
  ): Promise<ChannelJoinResult> {
    const unitId = this.authorizeChannel(actor, channel);
    await subscribe(channel);
    if (afterSeq !== undefined) {
      const last = await this.events.lastSeq(channel);
      if (afterSeq <= last && last - afterSeq <= MAX_CHANNEL_CATCH_UP) {
        return { seq: last, events: await this.events.read(channel, afterSeq, MAX_CHANNEL_CATCH_UP, last) };
      }
    }
    return this.snapshot(channel, unitId);
  }

  private authorizeChannel(actor: Actor, channel: string): string | null {
    if (channel === SUPERVISION_STREAM) {
      if (!OVERSEERS.includes(actor.role))
        throw forbidden('the supervision channel is for the secretariat, supervisors and leaders');
      return null;
    }
    const m = /^unit:([0-9a-f-]{36})$/i.exec(channel);
    if (!m) throw invalid(`unknown channel ${channel}`, { channel: ['unit:<unitId> or supervision'] });
    const unitId = m[1];
    if (OVERSEERS.includes(actor.role)) return unitId;
    if (actor.role === 'unit_handler' && actor.unitId === unitId) return unitId;
    throw forbidden('a unit may join only its own channel');
  }

  /** Items and seq read in one REPEATABLE READ snapshot, so they agree exactly. */
  private async snapshot(
    channel: string,
    unitId: string | null,
  ): Promise<{ seq: number; snapshot: ChannelSnapshot }> {
    return this.db.transaction(async () => {
      const seqRows: { last_seq: string }[] = await this.db.manager.query(
        'SELECT last_seq FROM event_stream WHERE stream = $1',
        [channel],
      );
      const qb = this.db.manager.createQueryBuilder(TaskItemEntity, 't').orderBy('t.created_at', 'ASC');
      if (unitId) {
        qb.where('t.lead_unit_id = :unitId', { unitId }).orWhere(
          't.id IN (SELECT task_item_id FROM task_cooperating_unit WHERE unit_id = :unitId)',
          { unitId },
        );
      }
      const rows = await qb.getMany();
      const calendar = await this.calendar.calendar(this.db.manager);
      const today = this.calendar.today();
      const items: ChannelItem[] = rows.map((t) => ({
        id: t.id,
        problem: t.problem,
        state: t.state,
        leadUnitId: t.leadUnitId,
        deadline: t.deadline,
        light: this.calendar.light(t, calendar, today),
        reopenCount: t.reopenCount,
      }));
      return { seq: seqRows.length === 0 ? 0 : Number(seqRows[0]?.last_seq), snapshot: { channel, items } };
    }, 'REPEATABLE READ');
  }
}
