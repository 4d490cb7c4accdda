import { ApiProperty } from '@nestjs/swagger';
import {
  RATINGS,
  type Rating,
  TASK_CLASSES,
  TASK_STATES,
  type TaskClass,
  type TaskState,
  URGENCIES,
  type Urgency,
} from '@liexi/contracts';

const UUID = { type: String, format: 'uuid' } as const;

/** 台账: one row per task item, every column computed from the records. */
export class LedgerRowView {
  @ApiProperty(UUID) taskId!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'meeting title; null for an item from outside a meeting',
  })
  meeting!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'agenda item title' })
  agendaItem!: string | null;
  @ApiProperty({ example: '医疗器械项目缺少抵押物，融资难' }) problem!: string;
  @ApiProperty({ type: [String], description: 'named proposers; anonymous ones only counted' })
  proposers!: string[];
  @ApiProperty({ minimum: 0 }) anonymousProposers!: number;
  @ApiProperty({ description: 'lead unit name (牵头单位)', example: '县金融服务中心' }) leadUnit!: string;
  @ApiProperty({ type: [String], description: 'co-operating unit names (配合单位)' })
  cooperatingUnits!: string[];
  @ApiProperty({ type: String, nullable: true }) responsiblePerson!: string | null;
  @ApiProperty() measure!: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: '交办: first assignment (null for a draft)',
  })
  assignedAt!: string | null;
  @ApiProperty({ type: String, format: 'date', example: '2026-12-31' }) deadline!: string;
  @ApiProperty() closeOutStandard!: string;
  @ApiProperty({ enum: TASK_CLASSES, enumName: 'TaskClass' }) taskClass!: TaskClass;
  @ApiProperty({ enum: URGENCIES, enumName: 'Urgency' }) urgency!: Urgency;
  @ApiProperty({ enum: TASK_STATES, enumName: 'TaskState' }) state!: TaskState;
  @ApiProperty({ minimum: 0 }) reopenCount!: number;
  @ApiProperty({ type: String, nullable: true, description: 'the last reply sent (答复)' })
  reply!: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'when the first reply was sent (办复)',
  })
  repliedAt!: string | null;
  @ApiProperty({ enum: RATINGS, enumName: 'Rating', isArray: true }) ratings!: Rating[];
  @ApiProperty({
    type: String,
    enum: RATINGS,
    enumName: 'Rating',
    nullable: true,
    description: '首次满意度: the lowest rating of round 1',
  })
  firstSatisfaction!: Rating | null;
  @ApiProperty({
    type: String,
    enum: RATINGS,
    enumName: 'Rating',
    nullable: true,
    description: '最终满意度: the lowest rating of the last rated round',
  })
  finalSatisfaction!: Rating | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt!: string | null;
}

export class AttendanceFigureView {
  @ApiProperty({ minimum: 0, description: 'person-times invited (人次)' }) invited!: number;
  @ApiProperty({ minimum: 0 }) declined!: number;
  @ApiProperty({ minimum: 0, description: 'person-times sat in (列席人次)' }) attended!: number;
  @ApiProperty({ minimum: 0 }) absent!: number;
  @ApiProperty({ minimum: 0 }) distinctInvited!: number;
  @ApiProperty({ minimum: 0 }) distinctAttended!: number;
  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 1, description: '4 decimals' })
  attendanceRate!: number | null;
}

export class ConstituencyFigureView extends AttendanceFigureView {
  @ApiProperty({ description: 'a constituency (界别), or `unknown`', example: 'deputy' })
  constituency!: string;
}

export class LabelView {
  @ApiProperty({ example: '重点工作' }) zh!: string;
  @ApiProperty({ example: 'Key work' }) en!: string;
}

export class CategoryFigureView extends AttendanceFigureView {
  @ApiProperty({ example: 'key_work' }) category!: string;
  @ApiProperty({ type: LabelView, nullable: true }) label!: LabelView | null;
}

export class MonthFigureView extends AttendanceFigureView {
  @ApiProperty({ example: '2026-11', pattern: '^\\d{4}-\\d{2}$' }) month!: string;
}

export class PeriodView {
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) from!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) to!: string | null;
}

/** 列席人次: person-times invited and attended, by constituency, category and month. */
export class AttendanceFiguresView {
  @ApiProperty({ type: PeriodView }) period!: PeriodView;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'how each figure is computed, so it can be reproduced from the records',
  })
  definitions!: Record<string, string>;
  @ApiProperty({ type: AttendanceFigureView }) total!: AttendanceFigureView;
  @ApiProperty({ type: [ConstituencyFigureView] }) byConstituency!: ConstituencyFigureView[];
  @ApiProperty({ type: [CategoryFigureView] }) byCategory!: CategoryFigureView[];
  @ApiProperty({ type: [MonthFigureView] }) byMonth!: MonthFigureView[];
}
