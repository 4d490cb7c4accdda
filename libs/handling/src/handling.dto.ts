import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
} from 'class-validator';

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

  @ApiProperty({ description: '时限 (YYYY-MM-DD)', example: '2026-12-31' })
  @IsDateString({ strict: true })
  deadline!: string;

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

export class ListTasksQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  meetingId?: string;

  @ApiPropertyOptional({ enum: TASK_STATES })
  @IsOptional()
  @IsIn(TASK_STATES)
  state?: TaskState;
}
