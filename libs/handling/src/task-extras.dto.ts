import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { URGENCIES, type Urgency } from '@liexi/contracts';
import { PageQueryDto } from '@liexi/platform';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { CONTACT_KINDS, type ContactKind } from './task-contact.entity';

/** A contact with the proposers (visit, meeting and site count as face to face). */
export class ContactDto {
  @ApiProperty({
    enum: CONTACT_KINDS,
    description: 'visit 上门走访, meeting 座谈面商, site 实地调研, phone 电话, online 网络',
  })
  @IsIn(CONTACT_KINDS)
  kind!: ContactKind;

  @ApiProperty({ example: '2026-05-10', description: 'the day of the contact' })
  @IsDateString({ strict: true })
  contactedOn!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

/** 政务公开: publish an item (and its sent replies) or withdraw it. */
export class PublicationDto {
  @ApiProperty({ description: 'true: publish; false: withdraw from the public list' })
  @IsBoolean()
  published!: boolean;

  @ApiPropertyOptional({ description: 'why (kept in the audit row)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

export class PublicQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'words in the problem, measure, lead unit or reply' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;
}

/** The rule that turns an unsatisfied appraisal result into a rectification item. */
export class AppraisalRuleDto {
  @ApiProperty({
    enum: ['unsatisfied_share_above', 'majority_unsatisfied'],
    description:
      'unsatisfied_share_above: unsatisfied votes ÷ votes > threshold (0 = any); majority_unsatisfied: more than half',
  })
  @IsIn(['unsatisfied_share_above', 'majority_unsatisfied'])
  kind!: 'unsatisfied_share_above' | 'majority_unsatisfied';

  @ApiPropertyOptional({ minimum: 0, maximum: 1, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1)
  threshold?: number;

  @ApiProperty({ enum: URGENCIES, description: 'immediate 立行立改, long_term 长期整改' })
  @IsIn(URGENCIES)
  urgency!: Urgency;

  @ApiProperty({
    minimum: 1,
    maximum: 1000,
    description: 'deadline of the rectification item, in working days',
  })
  @IsInt()
  @Min(1)
  @Max(1000)
  deadlineWorkingDays!: number;
}
