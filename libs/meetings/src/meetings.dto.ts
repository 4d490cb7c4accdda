import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MEETING_KINDS, MEETING_STATUSES, type MeetingKind, type MeetingStatus } from '@liexi/contracts';
import { IsInstant, PageQueryDto } from '@liexi/platform';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';

export class CreateAgendaItemDto {
  @ApiProperty({ example: '医疗器械产业园建设推进' })
  @IsString()
  @Length(1, 300)
  title!: string;

  @ApiProperty({
    example: 'key_work',
    description: 'key_work | major_matter | important_document | configured',
  })
  @IsString()
  @Length(1, 50)
  category!: string;

  @ApiPropertyOptional({ type: [String], example: ['business_environment'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  topics?: string[];
}

export class CreateMeetingDto {
  @ApiProperty({ enum: MEETING_KINDS })
  @IsIn(MEETING_KINDS)
  kind!: MeetingKind;

  @ApiProperty({ example: '县政府第12次常务会议' })
  @IsString()
  @Length(1, 300)
  title!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  @IsInstant()
  startsAt!: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  @IsInstant()
  endsAt!: Date;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  place?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  chair?: string;

  @ApiPropertyOptional({ description: 'the leader account that chairs the meeting and may steer it live' })
  @IsOptional()
  @IsUUID()
  chairAccountId?: string;

  @ApiPropertyOptional({ type: [CreateAgendaItemDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => CreateAgendaItemDto)
  agenda?: CreateAgendaItemDto[];
}

export class InviteDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  participantId!: string;
}

/** GET /meetings: the filters beside `limit` and `cursor`. */
export class ListMeetingsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: MEETING_STATUSES, enumName: 'MeetingStatus' })
  @IsOptional()
  @IsIn(MEETING_STATUSES)
  status?: MeetingStatus;
}
