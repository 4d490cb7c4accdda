import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { SupervisionLight } from '@liexi/contracts';
import { DirectoryService } from '@liexi/directory';
import { APP_CONFIG, type AppConfig, Clock, Db, JobRunner } from '@liexi/platform';
import { Not, Repository } from 'typeorm';
import {
  TaskCooperationOpinionEntity,
  TaskDeadlineChangeEntity,
  TaskReinspectionEntity,
} from './supervision.entity';
import { TaskItemEntity } from './task-item.entity';
import { TaskNoticesService } from './task-notices.service';
import type { SupervisionDashboard } from './handling.views';
import { type TaskChange, TaskWriter } from './task-writer';
import { HANDLING_STATES } from './task-workflow';
import { WorkCalendarService } from './work-calendar.service';
import { workingDaysBetween } from './working-days';

export const SCAN_JOB = 'supervision.scan';
/** Items per scan transaction: no stream lock of the scan is held longer than one chunk. */
export const SCAN_CHUNK = 100;
/** The daily scan runs at 08:30 local time, when units start work. */
const SCAN_AT = { hour: 8, minute: 30 };
const SCAN_STATES = HANDLING_STATES.filter((s) => s !== 'returned');

/**
 * 督办: the daily scan (reminders before the deadline, overdue flags — by the holiday
 * calendar) and the supervision dashboard, both computed from the records.
 */
@Injectable()
export class SupervisionService implements OnModuleInit {
  constructor(
    private readonly db: Db,
    private readonly writer: TaskWriter,
    private readonly notices: TaskNoticesService,
    private readonly calendar: WorkCalendarService,
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
    this.jobs.daily(SCAN_JOB, SCAN_AT, (payload, now) => this.scan(payload, now));
  }

  /** Makes sure today's supervision scan is scheduled (idempotent per local date). */
  ensureScan(now: Date = this.clock.now()): Promise<void> {
    return this.jobs.scheduleToday(SCAN_JOB, now);
  }

  /**
   * One chunk of the daily scan, in the job's transaction: for up to `chunk` (100) open items
   * after `afterId` (by id), a reminder N working days before the deadline or an overdue flag,
   * each sent once per item and deadline (`task_alert`) to the lead unit and the supervision
   * office. A full chunk schedules the next one (due at once, committed with this one); the
   * last chunk schedules tomorrow's scan. So the scan never holds stream locks for longer than
   * one chunk, a crash resumes at the chunk that did not commit, and running any chunk again
   * sends nothing twice.
   */
  async scan(payload: Record<string, unknown>, now: Date): Promise<void> {
    const today = typeof payload.day === 'string' ? payload.day : this.calendar.today(now);
    const afterId = typeof payload.afterId === 'string' ? payload.afterId : null;
    const run = typeof payload.run === 'string' ? payload.run : randomUUID();
    const chunk = Math.min(Math.max(Math.trunc(Number(payload.chunk)) || SCAN_CHUNK, 1), 1000);
    const calendar = await this.calendar.calendar();
    const qb = this.db.manager
      .createQueryBuilder(TaskItemEntity, 't')
      .where('t.state IN (:...states)', { states: SCAN_STATES })
      .andWhere('t.deadline_pending = false')
      .orderBy('t.id', 'ASC')
      .limit(chunk);
    if (afterId) qb.andWhere('t.id > :afterId', { afterId });
    const items = await qb.getMany();
    const supervisors = items.length > 0 ? await this.notices.supervisors() : [];
    const changes: TaskChange[] = [];
    for (const item of items) {
      const overdue = today > item.deadline;
      const left = workingDaysBetween(today, item.deadline, calendar);
      const kind = overdue ? 'overdue' : left <= this.config.reminderWorkingDays ? 'reminder' : null;
      if (!kind) continue;
      const fresh = await this.db.query(
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
      await this.notices.notifySupervision(
        item,
        `task.${kind}`,
        text,
        `task.${kind}:${item.id}:${item.deadline}`,
        supervisors,
      );
      changes.push({
        item,
        action: kind,
        before: null,
        after: { deadline: item.deadline, today, workingDaysLeft: left },
      });
    }
    // All events of the chunk at the end, each stream once and in sorted order (no deadlocks).
    await this.writer.recordMany(null, changes);
    const last = items.at(-1);
    if (last && items.length === chunk)
      await this.jobs.schedule({
        name: SCAN_JOB,
        runAt: now,
        key: `${SCAN_JOB}:${run}:${last.id}`,
        payload: { day: today, afterId: last.id, run, chunk },
      });
  }

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
    const m = this.db.manager;
    const [pendingExtensions, dueReinspections, lateOpinions] = await Promise.all([
      m.count(TaskDeadlineChangeEntity, { where: { status: 'pending' } }),
      m
        .createQueryBuilder(TaskReinspectionEntity, 'r')
        .where('r.outcome IS NULL AND r.due_at <= :now', { now: this.clock.now() })
        .getCount(),
      m
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
}
