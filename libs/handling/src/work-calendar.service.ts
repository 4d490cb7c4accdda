import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { SupervisionLight } from '@liexi/contracts';
import {
  type Actor,
  APP_CONFIG,
  type AppConfig,
  AuditService,
  Clock,
  TransactionService,
} from '@liexi/platform';
import { Between, type EntityManager, Repository } from 'typeorm';
import type { CalendarDayDto } from './handling.dto';
import type { TaskItemEntity } from './task-item.entity';
import { HANDLING_STATES } from './task-workflow';
import { WorkCalendarDayEntity } from './supervision.entity';
import { addWorkingDays, type Calendar, localDate, supervisionLight } from './working-days';

/** The holiday calendar (configurable), today's date in the app's time zone, and the light. */
@Injectable()
export class WorkCalendarService {
  constructor(
    @InjectRepository(WorkCalendarDayEntity) private readonly days: Repository<WorkCalendarDayEntity>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
  ) {}

  /** Today in APP_TIME_ZONE (Asia/Shanghai by default), by the injectable clock. */
  today(now: Date = this.clock.now()): string {
    return localDate(now, this.config.timeZone);
  }

  async calendar(manager?: EntityManager): Promise<Calendar> {
    const rows = await (manager ?? this.days.manager).find(WorkCalendarDayEntity);
    return new Map(rows.map((r) => [r.day, r.kind]));
  }

  async addWorkingDays(from: string, n: number): Promise<string> {
    return addWorkingDays(from, n, await this.calendar());
  }

  /** Green / yellow / red for items the unit is handling; null otherwise or while awaiting a deadline. */
  light(item: TaskItemEntity, calendar: Calendar, today: string): SupervisionLight | null {
    if (!HANDLING_STATES.includes(item.state) || item.deadlinePending) return null;
    return supervisionLight(today, item.deadline, calendar, this.config.yellowWorkingDays);
  }

  list(year?: number): Promise<WorkCalendarDayEntity[]> {
    return this.days.find({
      where: year ? { day: Between(`${year}-01-01`, `${year}-12-31`) } : {},
      order: { day: 'ASC' },
    });
  }

  async upsert(actor: Actor, dto: CalendarDayDto): Promise<WorkCalendarDayEntity> {
    return this.tx.run(async (tx) => {
      const before = await tx.manager.findOne(WorkCalendarDayEntity, { where: { day: dto.day } });
      const row = { day: dto.day, kind: dto.kind, name: dto.name ?? '' };
      await tx.manager.upsert(WorkCalendarDayEntity, row, ['day']);
      await this.audit.record(tx, actor, {
        action: 'calendar.day_set',
        entityType: 'work_calendar_day',
        entityId: '00000000-0000-0000-0000-000000000000',
        before: before ?? null,
        after: row,
      });
      return tx.manager.findOneOrFail(WorkCalendarDayEntity, { where: { day: dto.day } });
    });
  }

  async remove(actor: Actor, day: string): Promise<{ removed: boolean }> {
    return this.tx.run(async (tx) => {
      const before = await tx.manager.findOne(WorkCalendarDayEntity, { where: { day } });
      if (!before) return { removed: false };
      await tx.manager.delete(WorkCalendarDayEntity, { day });
      await this.audit.record(tx, actor, {
        action: 'calendar.day_removed',
        entityType: 'work_calendar_day',
        entityId: '00000000-0000-0000-0000-000000000000',
        before,
        after: null,
      });
      return { removed: true };
    });
  }
}
