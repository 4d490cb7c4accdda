import { Inject, Injectable } from '@nestjs/common';
import type { SupervisionLight, TaskState } from '@liexi/contracts';
import {
  type Actor,
  APP_CONFIG,
  type AppConfig,
  AuditService,
  Clock,
  Db,
  invalid,
  parseLocalDay,
  decodeCursor,
  localDay,
  type Page,
  pageOf,
  pageSize,
} from '@liexi/platform';
import { Repository } from 'typeorm';
import type { CalendarDayDto, CalendarQueryDto } from './handling.dto';
import type { CalendarDayView } from './handling.views';
import { HANDLING_STATES } from './task-workflow';
import { WorkCalendarDayEntity } from './supervision.entity';
import { addWorkingDays, type Calendar, supervisionLight } from './working-days';

const dayView = (d: WorkCalendarDayEntity): CalendarDayView => ({ day: d.day, kind: d.kind, name: d.name });

/**
 * How long a read outside a transaction (the lights of a list) may reuse the calendar: it changes
 * a few times a year, and a list page then costs one statement, not two. A change on this node
 * clears it at commit; one on another node shows here within this time. Writes (deadlines in
 * working days) always read it afresh inside their transaction.
 */
const CALENDAR_REUSE_MS = 2_000;

/** The holiday calendar (configurable), today's date in the app's time zone, and the light. */
@Injectable()
export class WorkCalendarService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  private reusable?: { at: number; calendar: Calendar };

  /** Through the unit of work: inside a transaction, on its connection. */
  private get days(): Repository<WorkCalendarDayEntity> {
    return this.db.manager.getRepository(WorkCalendarDayEntity);
  }

  /** Today in APP_TIME_ZONE (Asia/Shanghai by default), by the injectable clock. */
  today(now: Date = this.clock.now()): string {
    return localDay(now, this.config.timeZone);
  }

  async calendar(): Promise<Calendar> {
    const reading = !this.db.inTransaction;
    const kept = this.reusable;
    if (reading && kept && Date.now() - kept.at < CALENDAR_REUSE_MS) return kept.calendar;
    const rows = await this.days.find();
    const calendar: Calendar = new Map(rows.map((r) => [r.day, r.kind]));
    if (reading) this.reusable = { at: Date.now(), calendar };
    return calendar;
  }

  async addWorkingDays(from: string, n: number): Promise<string> {
    return addWorkingDays(from, n, await this.calendar());
  }

  /** Green / yellow / red for items the unit is handling; null otherwise or while awaiting a deadline. */
  light(
    item: { state: TaskState; deadline: string; deadlinePending: boolean },
    calendar: Calendar,
    today: string,
  ): SupervisionLight | null {
    if (!HANDLING_STATES.includes(item.state) || item.deadlinePending) return null;
    return supervisionLight(today, item.deadline, calendar, this.config.yellowWorkingDays);
  }

  /** The calendar's days in order, a page at a time (the cursor is the last day given). */
  async list(query: CalendarQueryDto): Promise<Page<CalendarDayView>> {
    const [after] = decodeCursor(query.cursor, 1) ?? [];
    const limit = pageSize(query);
    const qb = this.days
      .createQueryBuilder('d')
      .orderBy('d.day', 'ASC')
      .limit(limit + 1);
    if (query.year)
      qb.andWhere('d.day BETWEEN :from AND :to', { from: `${query.year}-01-01`, to: `${query.year}-12-31` });
    if (typeof after === 'string') qb.andWhere('d.day > CAST(:after AS date)', { after });
    return pageOf((await qb.getMany()).map(dayView), limit, (d) => [d.day]);
  }

  async upsert(actor: Actor, dto: CalendarDayDto): Promise<CalendarDayView> {
    return this.db.transaction(async () => {
      const before = await this.db.manager.findOne(WorkCalendarDayEntity, { where: { day: dto.day } });
      const row = { day: dto.day, kind: dto.kind, name: dto.name ?? '' };
      await this.db.manager.upsert(WorkCalendarDayEntity, row, ['day']);
      this.db.afterCommit(() => (this.reusable = undefined));
      await this.audit.record(actor, {
        action: 'calendar.day_set',
        entityType: 'work_calendar_day',
        entityId: '00000000-0000-0000-0000-000000000000',
        before: before ? dayView(before) : null,
        after: row,
      });
      return dayView(await this.db.manager.findOneOrFail(WorkCalendarDayEntity, { where: { day: dto.day } }));
    });
  }

  async remove(actor: Actor, day: string): Promise<{ removed: boolean }> {
    if (!parseLocalDay(day)) throw invalid('day must be YYYY-MM-DD', { day: ['YYYY-MM-DD'] });
    return this.db.transaction(async () => {
      const before = await this.db.manager.findOne(WorkCalendarDayEntity, { where: { day } });
      if (!before) return { removed: false };
      await this.db.manager.delete(WorkCalendarDayEntity, { day });
      this.db.afterCommit(() => (this.reusable = undefined));
      await this.audit.record(actor, {
        action: 'calendar.day_removed',
        entityType: 'work_calendar_day',
        entityId: '00000000-0000-0000-0000-000000000000',
        before: dayView(before),
        after: null,
      });
      return { removed: true };
    });
  }
}
