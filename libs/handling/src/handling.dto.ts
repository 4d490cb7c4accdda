import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  RATINGS,
  type Rating,
  TASK_CLASSES,
  CALENDAR_DAY_KINDS,
  type CalendarDayKind,
  REINSPECTION_OUTCOMES,
  type ReinspectionOutcome,
  TASK_STATES,
  type TaskClass,
  type TaskState,
  URGENCIES,
  type Urgency,
} from '@liexi/contracts';
import { IsLocalDate } from '@liexi/platform';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsUrl,
  Max,
  Min,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateBy,
  type ValidationOptions,
} from 'class-validator';
import { PageQueryDto } from '@liexi/platform';

export class CreateTaskItemDto {
  @ApiPropertyOptional({ description: 'the meeting the item was decided in (一会一单)' })
  @IsOptional()
  @IsUUID()
  meetingId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  agendaItemId?: string;

  @ApiPropertyOptional({ type: [String], description: 'inputs this item is made from (duplicates merged)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  inputIds?: string[];

  @ApiProperty({ description: '问题' })
  @IsString()
  @Length(1, 4000)
  problem!: string;

  @ApiProperty({ description: '牵头单位' })
  @IsUUID()
  leadUnitId!: string;

  @ApiPropertyOptional({ type: [String], description: '配合单位' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  cooperatingUnitIds?: string[];

  @ApiPropertyOptional({ description: '责任人' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  responsiblePerson?: string;

  @ApiProperty({ description: '措施' })
  @IsString()
  @Length(1, 4000)
  measure!: string;

  @ApiPropertyOptional({
    description: '时限 (YYYY-MM-DD); or give deadlineWorkingDays',
    example: '2026-12-31',
  })
  @IsOptional()
  @IsLocalDate({ notPast: true })
  deadline?: string;

  @ApiPropertyOptional({ description: '时限 in working days from today (holiday calendar applies)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  deadlineWorkingDays?: number;

  @ApiPropertyOptional({
    description: 'cooperating units send their opinions by this date (default: the deadline)',
  })
  @IsOptional()
  @IsLocalDate()
  opinionDueDate?: string;

  @ApiProperty({ description: '销号标准' })
  @IsString()
  @Length(1, 2000)
  closeOutStandard!: string;

  @ApiProperty({ enum: TASK_CLASSES })
  @IsIn(TASK_CLASSES)
  taskClass!: TaskClass;

  @ApiPropertyOptional({ description: 'required for class C' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  classReason?: string;

  @ApiPropertyOptional({ enum: URGENCIES })
  @IsOptional()
  @IsIn(URGENCIES)
  urgency?: Urgency;

  @ApiPropertyOptional({ description: 'assign to the lead unit at once (交办)' })
  @IsOptional()
  @IsBoolean()
  assign?: boolean;
}

export class ReasonDto {
  @ApiProperty()
  @IsString()
  @Length(1, 2000)
  reason!: string;
}

export class OptionalCommentDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class DraftReplyDto {
  @ApiProperty({ description: '答复 text' })
  @IsString()
  @Length(1, 20000)
  body!: string;
}

export class EvaluateDto {
  @ApiProperty({ enum: RATINGS })
  @IsIn(RATINGS)
  rating!: Rating;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

/** GET /tasks: the filters beside `limit` and `cursor`. */
export class ListTasksQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'only the items of this meeting (一会一单)' })
  @IsOptional()
  @IsUUID()
  meetingId?: string;

  @ApiPropertyOptional({ enum: TASK_STATES, enumName: 'TaskState' })
  @IsOptional()
  @IsIn(TASK_STATES)
  state?: TaskState;
}

export class AssignDto {
  @ApiPropertyOptional({ description: 'reassign to another lead unit (after a return)' })
  @IsOptional()
  @IsUUID()
  leadUnitId?: string;
}

export class ReturnDto {
  @ApiProperty({ description: '退回理由' })
  @IsString()
  @Length(1, 2000)
  reason!: string;

  @ApiPropertyOptional({ description: 'the unit that should handle it instead' })
  @IsOptional()
  @IsUUID()
  suggestedUnitId?: string;
}

export class CommentDto {
  @ApiProperty()
  @IsString()
  @Length(1, 2000)
  comment!: string;
}

export class SendReplyDto {
  @ApiPropertyOptional({ description: 'publish the item and its reply (政务公开)' })
  @IsOptional()
  @IsBoolean()
  public?: boolean;
}

export class NewDeadlineDto {
  @ApiProperty({ description: 'the new deadline (YYYY-MM-DD)', example: '2027-03-31' })
  @IsLocalDate({ notPast: true })
  deadline!: string;

  @ApiProperty()
  @IsString()
  @Length(1, 2000)
  reason!: string;
}

export class ReopenDto {
  @ApiProperty()
  @IsString()
  @Length(1, 2000)
  reason!: string;

  @ApiPropertyOptional({ description: 'new deadline; without it the item waits for one' })
  @IsOptional()
  @IsLocalDate({ notPast: true })
  deadline?: string;
}

export class DecideExtensionDto {
  @ApiProperty()
  @IsBoolean()
  approve!: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class ProgressReportDto {
  @ApiProperty()
  @IsString()
  @Length(1, 10000)
  text!: string;

  @ApiProperty({ minimum: 0, maximum: 100 })
  @IsInt()
  @Min(0)
  @Max(100)
  percent!: number;

  @ApiPropertyOptional({ type: [String], description: 'attachments as links' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'] }, { each: true })
  attachments?: string[];
}

export class OpinionDto {
  @ApiProperty({ description: '会办意见' })
  @IsString()
  @Length(1, 10000)
  body!: string;
}

export class ReinspectionDto {
  @ApiProperty({ enum: REINSPECTION_OUTCOMES })
  @IsIn(REINSPECTION_OUTCOMES)
  outcome!: ReinspectionOutcome;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  note?: string;

  @ApiPropertyOptional({ description: 'for a relapse: the deadline of the second handling' })
  @IsOptional()
  @IsLocalDate({ notPast: true })
  deadline?: string;
}

export class MergeInputsDto {
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  inputIds!: string[];
}

export class AnswerInputDto {
  @ApiProperty({ description: 'the direct answer to the input' })
  @IsString()
  @Length(1, 10000)
  text!: string;
}

export class CalendarDayDto {
  @ApiProperty({ example: '2026-10-01' })
  @IsLocalDate()
  day!: string;

  @ApiProperty({ enum: CALENDAR_DAY_KINDS })
  @IsIn(CALENDAR_DAY_KINDS)
  kind!: CalendarDayKind;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;
}

export class CalendarQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 2000, maximum: 2100, example: 2026 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;
}

export class ChannelDto {
  @ApiProperty({
    description: '`unit:<unitId>` or `supervision`',
    pattern: '^(supervision|unit:[0-9a-fA-F-]{36})$',
    example: 'supervision',
  })
  @IsString()
  @Matches(/^(supervision|unit:[0-9a-fA-F-]{36})$/)
  channel!: string;
}

/** At most this many cursors in one `afterSeqs` (a frame is at most 64 KiB anyway). */
const MAX_CURSORS = 1000;
const UNIT_STREAM_KEY = /^unit:[0-9a-fA-F-]{36}$/;

/** `afterSeqs`: a plain object mapping `unit:<unitId>` streams to whole seqs ≥ 0. */
function IsStreamCursors(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isStreamCursors',
      validator: {
        validate: (value: unknown): boolean => {
          if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
          const entries = Object.entries(value);
          return (
            entries.length <= MAX_CURSORS &&
            entries.every(
              ([k, v]) => UNIT_STREAM_KEY.test(k) && Number.isSafeInteger(v) && (v as number) >= 0,
            )
          );
        },
        defaultMessage: () =>
          `afterSeqs must map at most ${MAX_CURSORS} unit:<unitId> streams to whole seqs ≥ 0`,
      },
    },
    options,
  );
}

export class JoinChannelDto extends ChannelDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    description: '`unit:<unitId>` channels: resume after this seq (gap-free)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  afterSeq?: number;

  @ApiPropertyOptional({
    description:
      'the `supervision` channel: resume after these seqs, one per unit stream (`{"unit:<unitId>": seq}`; a stream not given starts at 0)',
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 0 },
  })
  @IsOptional()
  @IsStreamCursors()
  afterSeqs?: Record<string, number>;
}
