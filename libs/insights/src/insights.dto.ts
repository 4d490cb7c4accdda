import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import {
  CONSTITUENCIES,
  type Constituency,
  MEETING_KINDS,
  type MeetingKind,
  TASK_CLASSES,
} from '@liexi/contracts';
import { PageQueryDto } from '@liexi/platform';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';

/** The figure filters (FIGURES.md says which apply to which figure). Unknown parameters are refused. */
export class FigureFilterDto {
  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'period start (inclusive)' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'period end (exclusive)' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  meetingId?: string;

  @ApiPropertyOptional({ enum: MEETING_KINDS })
  @IsOptional()
  @IsIn(MEETING_KINDS)
  meetingKind?: MeetingKind;

  @ApiPropertyOptional({ format: 'uuid', description: 'lead unit' })
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional({ enum: TASK_CLASSES })
  @IsOptional()
  @IsIn(TASK_CLASSES)
  taskClass?: string;

  @ApiPropertyOptional({ description: 'agenda category code (taxonomy), e.g. key_work' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,63}$/)
  category?: string;

  @ApiPropertyOptional({ enum: CONSTITUENCIES })
  @IsOptional()
  @IsIn(CONSTITUENCIES)
  constituency?: Constituency;
}

export class FigurePageQueryDto extends IntersectionType(FigureFilterDto, PageQueryDto) {}

export class FigureItemsQueryDto extends FigurePageQueryDto {
  @ApiProperty({ description: 'a part code of the figure, or numerator / denominator', example: 'numerator' })
  @IsString()
  @Matches(/^[A-Za-z_]{1,40}$/)
  part!: string;
}

export class RankingQueryDto extends FigurePageQueryDto {
  @ApiPropertyOptional({
    description:
      'ordered, comma-separated: on_time_rate, satisfaction_rate, first_time_satisfaction_rate, reply_rate, overdue_days, overdue, appraisal (default on_time_rate,satisfaction_rate,overdue_days,appraisal)',
    example: 'on_time_rate,satisfaction_rate',
    pattern: '^[a-z_]+(,[a-z_]+){0,6}$',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z_]+(,[a-z_]+){0,6}$/)
  criteria?: string;
}

export class ReportQueryDto extends FigureFilterDto {
  @ApiPropertyOptional({
    description: 'what the report is about, e.g. 2024年政协委员提案',
    default: '建议提案',
  })
  @IsOptional()
  @IsString()
  @Length(1, 60)
  subject?: string;
}

export class AppraisalQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  meetingId?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;
}
