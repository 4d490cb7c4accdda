import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { CreateAgendaItemDto, CreateMeetingDto } from './meetings.dto';
import {
  AGENDA_ITEM_STATES,
  CONSTITUENCIES,
  TAXONOMY_KINDS,
  type AgendaItemState,
  type Constituency,
  type TaxonomyKind,
} from '@liexi/contracts';
import { IsDayOrInstant, IsNotBefore } from '@liexi/platform';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '@liexi/platform';

/** PATCH /meetings/:id — every field optional; refused for cancelled or closed meetings. */
export class UpdateMeetingDto extends PartialType(OmitType(CreateMeetingDto, ['agenda'] as const)) {}

export class UpdateAgendaItemDto extends PartialType(CreateAgendaItemDto) {
  @ApiPropertyOptional({ enum: AGENDA_ITEM_STATES })
  @IsOptional()
  @IsIn(AGENDA_ITEM_STATES)
  state?: AgendaItemState;
}

export class ReorderAgendaDto {
  @ApiProperty({ type: [String], description: 'every item id of the meeting, in the new order' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  itemIds!: string[];
}

export class AddAttachmentDto {
  @ApiProperty({ example: '《优化营商环境若干措施》（送审稿）' })
  @IsString()
  @Length(1, 200)
  title!: string;

  @ApiProperty({ example: 'https://oa.example.gov.cn/docs/123.pdf' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2000)
  url!: string;
}

export class CreateTaxonomyTermDto {
  @ApiProperty({ enum: TAXONOMY_KINDS })
  @IsIn(TAXONOMY_KINDS)
  kind!: TaxonomyKind;

  @ApiProperty({ example: 'rural_revitalization' })
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{1,49}$/, { message: 'code: 2–50 of a-z 0-9 _, starting with a letter' })
  code!: string;

  @ApiProperty({ example: '乡村振兴' })
  @IsString()
  @Length(1, 100)
  labelZh!: string;

  @ApiProperty({ example: 'Rural revitalization' })
  @IsString()
  @Length(1, 100)
  labelEn!: string;
}

export class PolicyQuotaDto {
  @ApiProperty({ enum: CONSTITUENCIES })
  @IsIn(CONSTITUENCIES)
  constituency!: Constituency;

  @ApiProperty({ minimum: 1, maximum: 50 })
  @IsInt()
  @Min(1)
  @Max(50)
  count!: number;
}

export class CreateInvitationPolicyDto {
  @ApiProperty({ example: '营商环境类重点工作' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'key_work' })
  @IsString()
  @Length(1, 50)
  category!: string;

  @ApiPropertyOptional({ example: 'business_environment', description: 'only items with this topic' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  topic?: string;

  @ApiProperty({ type: [PolicyQuotaDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(6)
  @ValidateNested({ each: true })
  @Type(() => PolicyQuotaDto)
  quotas!: PolicyQuotaDto[];

  @ApiPropertyOptional({ type: [String], example: ['医药', '金融'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  preferredSectors?: string[];

  @ApiPropertyOptional({ type: [String], example: ['城关镇'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  preferredDistricts?: string[];
}

export class UpdateInvitationPolicyDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ type: [PolicyQuotaDto] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(6)
  @ValidateNested({ each: true })
  @Type(() => PolicyQuotaDto)
  quotas?: PolicyQuotaDto[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  preferredSectors?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  preferredDistricts?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class DeclineInvitationDto {
  @ApiProperty({ example: '当天在外地出差' })
  @IsString()
  @Length(1, 500)
  reason!: string;
}

export class WithdrawInvitationDto {
  @ApiPropertyOptional({ example: '议题调整' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class CodeCheckInDto {
  @ApiProperty({
    example: 'liexi:checkin:0b7c…:Xk3…',
    description: 'the QR payload `liexi:checkin:<invitationId>:<code>` printed on the invitation',
  })
  @IsString()
  @Length(10, 300)
  payload!: string;
}

export class FiguresQueryDto {
  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'meetings starting at or after' })
  @IsOptional()
  @IsDayOrInstant()
  from?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'meetings starting before' })
  @IsOptional()
  @IsDayOrInstant()
  @IsNotBefore('from')
  to?: Date;
}

/** GET /agenda-taxonomy: the filter beside `limit` and `cursor`. */
export class TaxonomyQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: TAXONOMY_KINDS,
    description: 'only categories (事项类别) or only topics (领域)',
  })
  @IsOptional()
  @IsIn(TAXONOMY_KINDS)
  kind?: TaxonomyKind;
}
