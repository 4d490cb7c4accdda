import { ApiProperty } from '@nestjs/swagger';
import {
  CALENDAR_DAY_KINDS,
  type CalendarDayKind,
  LIGHTS,
  type SupervisionLight,
  TASK_CLASSES,
  TASK_STATES,
  type TaskClass,
  type TaskState,
} from '@liexi/contracts';

/*
 * The handling context's other views (task items: task-item.view.ts): 一会一单, the public list,
 * the supervision dashboard, the holiday calendar and the dispositions of inputs.
 */

const UUID = { type: String, format: 'uuid' } as const;
const DATE = { type: String, format: 'date', example: '2026-12-31' } as const;
const NULLABLE_DATE_TIME = { type: String, format: 'date-time', nullable: true } as const;

export class MeetingTaskCounts {
  @ApiProperty({ minimum: 0 }) total!: number;
  @ApiProperty({ minimum: 0, description: '已销号' }) closed!: number;
  @ApiProperty({ minimum: 0 }) open!: number;
  @ApiProperty({ minimum: 0, description: 'past the deadline while being handled (red light)' })
  overdue!: number;
}

export class MeetingTaskListItem {
  @ApiProperty(UUID) id!: string;
  @ApiProperty({ example: '医疗器械项目缺少抵押物，融资难' }) problem!: string;
  @ApiProperty(UUID) leadUnitId!: string;
  @ApiProperty({ enum: TASK_STATES, enumName: 'TaskState' }) state!: TaskState;
  @ApiProperty(DATE) deadline!: string;
  @ApiProperty({ enum: LIGHTS, enumName: 'SupervisionLight', nullable: true })
  light!: SupervisionLight | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: 0,
    maximum: 100,
    description: 'of the last progress report; 100 once closed',
  })
  percent!: number | null;
  @ApiProperty(NULLABLE_DATE_TIME) lastProgressAt!: string | null;
}

/** 一会一单: a meeting's decided matters, counted whole, listed a page at a time. */
export class MeetingTaskList {
  @ApiProperty(UUID) meetingId!: string;
  @ApiProperty({ type: MeetingTaskCounts, description: 'over every item of the meeting, not only this page' })
  counts!: MeetingTaskCounts;
  @ApiProperty({ type: [MeetingTaskListItem] }) items!: MeetingTaskListItem[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page.',
  })
  nextCursor!: string | null;
}

/** 政务公开: a published item and its handling result, without any personal data. */
export class PublicTaskView {
  @ApiProperty(UUID) id!: string;
  @ApiProperty({ ...UUID, nullable: true }) meetingId!: string | null;
  @ApiProperty({ example: '医疗器械项目缺少抵押物，融资难' }) problem!: string;
  @ApiProperty({ example: '县金融服务中心' }) leadUnit!: string;
  @ApiProperty({ example: '知识产权质押贷款' }) measure!: string;
  @ApiProperty(DATE) deadline!: string;
  @ApiProperty({ enum: TASK_CLASSES, enumName: 'TaskClass' }) taskClass!: TaskClass;
  @ApiProperty({ type: String, nullable: true }) classReason!: string | null;
  @ApiProperty({ enum: TASK_STATES, enumName: 'TaskState' }) state!: TaskState;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'the last reply sent',
    example: '1650万元知识产权质押贷款已获批。',
  })
  reply!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) publishedAt!: string;
  @ApiProperty(NULLABLE_DATE_TIME) closedAt!: string | null;
}

export class DashboardLights {
  @ApiProperty({ minimum: 0 }) green!: number;
  @ApiProperty({ minimum: 0 }) yellow!: number;
  @ApiProperty({ minimum: 0 }) red!: number;
}

export class DashboardOverdueOpinion {
  @ApiProperty(UUID) taskId!: string;
  @ApiProperty(UUID) unitId!: string;
  @ApiProperty(DATE) dueDate!: string;
}

export class DashboardOverdueItem {
  @ApiProperty(UUID) id!: string;
  @ApiProperty() problem!: string;
  @ApiProperty(UUID) leadUnitId!: string;
  @ApiProperty(DATE) deadline!: string;
  @ApiProperty({ minimum: 0 }) workingDaysOverdue!: number;
}

export class DashboardUnit {
  @ApiProperty(UUID) unitId!: string;
  @ApiProperty({ example: '县金融服务中心' }) unitName!: string;
  @ApiProperty({ minimum: 0 }) total!: number;
  @ApiProperty({ minimum: 0 }) open!: number;
  @ApiProperty({ minimum: 0 }) closed!: number;
  @ApiProperty({ minimum: 0 }) green!: number;
  @ApiProperty({ minimum: 0 }) yellow!: number;
  @ApiProperty({ minimum: 0 }) red!: number;
}

/** 督办: lights, overdue items and counts per unit, computed from the records on each call. */
export class SupervisionDashboard {
  @ApiProperty(DATE) today!: string;
  @ApiProperty({ type: DashboardLights }) lights!: Record<SupervisionLight, number>;
  @ApiProperty({ minimum: 0 }) awaitingDeadline!: number;
  @ApiProperty({ minimum: 0 }) pendingExtensions!: number;
  @ApiProperty({ minimum: 0 }) dueReinspections!: number;
  @ApiProperty({
    type: [DashboardOverdueOpinion],
    description: 'cooperating opinions past their due date, neither sent nor waived',
  })
  overdueOpinions!: DashboardOverdueOpinion[];
  @ApiProperty({ type: [DashboardOverdueItem] }) overdue!: DashboardOverdueItem[];
  @ApiProperty({ type: [DashboardUnit], description: 'most red lights first' }) units!: DashboardUnit[];
}

/** A day of the holiday calendar: a holiday (法定节假日) or a make-up workday (调休). */
export class CalendarDayView {
  @ApiProperty({ ...DATE, example: '2026-10-01' }) day!: string;
  @ApiProperty({ enum: CALENDAR_DAY_KINDS }) kind!: CalendarDayKind;
  @ApiProperty({ example: '国庆节' }) name!: string;
}

export class CalendarDayRemoved {
  @ApiProperty({ description: 'false when the day was not in the calendar' }) removed!: boolean;
}

/** What became of an input answered directly (直接答复) or declined (不予采纳). */
export class InputDispositionResult {
  @ApiProperty(UUID) inputId!: string;
  @ApiProperty({ enum: ['answered', 'declined'] }) disposition!: 'answered' | 'declined';
}
