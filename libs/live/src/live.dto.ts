import {
  INPUT_KINDS,
  type InputKind,
  MAX_INPUT_TEXT,
  MODERATION_ACTIONS,
  type ModerationAction,
  POLL_KINDS,
  type PollKind,
} from '@liexi/contracts';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Min,
  ValidateIf,
} from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto } from '@liexi/platform';

export class JoinMeetingDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  meetingId!: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'resume after this seq (gap-free)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  afterSeq?: number;
}

export class LeaveMeetingDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  meetingId!: string;
}

export class SubmitInputDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  meetingId!: string;

  /** 8–100 characters of [A-Za-z0-9_-]; a UUID is a good choice. */
  @ApiProperty({
    pattern: '^[A-Za-z0-9_-]{8,100}$',
    description: 'idempotency key chosen by the client (a UUID is a good choice)',
  })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{8,100}$/, { message: 'clientKey must be 8–100 characters of A-Z a-z 0-9 _ -' })
  clientKey!: string;

  @ApiProperty({ enum: INPUT_KINDS })
  @IsIn(INPUT_KINDS)
  kind!: InputKind;

  @ApiProperty({ minLength: 1, maxLength: MAX_INPUT_TEXT, example: '医疗器械项目缺少抵押物，融资难' })
  @IsString()
  @Length(1, MAX_INPUT_TEXT)
  text!: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  agendaItemId?: string;

  @ApiPropertyOptional({ default: false, description: '匿名: the author is never shown' })
  @IsOptional()
  @IsBoolean()
  anonymous?: boolean;
}

const CLIENT_KEY = /^[A-Za-z0-9_-]{8,100}$/;
const CLIENT_KEY_MESSAGE = 'clientKey must be 8–100 characters of A-Z a-z 0-9 _ -';

export class MeetingRefDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  meetingId!: string;
}

export class CosignInputDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  inputId!: string;

  @ApiProperty({
    pattern: '^[A-Za-z0-9_-]{8,100}$',
    description: 'idempotency key chosen by the client (a UUID is a good choice)',
  })
  @IsString()
  @Matches(CLIENT_KEY, { message: CLIENT_KEY_MESSAGE })
  clientKey!: string;
}

export class RequestSpeakerDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  meetingId!: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  agendaItemId?: string;

  @ApiProperty({
    pattern: '^[A-Za-z0-9_-]{8,100}$',
    description: 'idempotency key chosen by the client (a UUID is a good choice)',
  })
  @IsString()
  @Matches(CLIENT_KEY, { message: CLIENT_KEY_MESSAGE })
  clientKey!: string;
}

export class ModerateInputDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  inputId!: string;

  @ApiProperty({ enum: MODERATION_ACTIONS })
  @IsIn(MODERATION_ACTIONS)
  action!: ModerationAction;

  @ApiPropertyOptional({ format: 'uuid', description: 'required for merge' })
  @ValidateIf((o: ModerateInputDto) => o.action === 'merge' || o.intoInputId !== undefined)
  @IsUUID()
  intoInputId?: string;

  @ApiProperty({ minLength: 1, maxLength: 1000, example: '与第3条重复' })
  @IsString()
  @Length(1, 1000)
  reason!: string;
}

export class OpenPollDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  meetingId!: string;

  @ApiProperty({ enum: POLL_KINDS })
  @IsIn(POLL_KINDS)
  kind!: PollKind;

  @ApiProperty({ minLength: 1, maxLength: 500, example: '对县金融服务中心办理情况的满意度' })
  @IsString()
  @Length(1, 500)
  question!: string;

  /** Two to twenty distinct choices; not used for `satisfaction` (fixed choices). */
  @ApiPropertyOptional({
    type: [String],
    minItems: 2,
    maxItems: 20,
    uniqueItems: true,
    description: 'not for satisfaction polls (fixed choices)',
  })
  @ValidateIf((o: OpenPollDto) => o.kind !== 'satisfaction' || o.choices !== undefined)
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  choices?: string[];

  @ApiPropertyOptional({ format: 'uuid', description: 'required for satisfaction polls: the unit rated' })
  @ValidateIf((o: OpenPollDto) => o.kind === 'satisfaction' || o.targetUnitId !== undefined)
  @IsUUID()
  targetUnitId?: string;
}

export class VoteDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  pollId!: string;

  @ApiProperty({ minLength: 1, maxLength: 100, example: 'satisfied' })
  @IsString()
  @Length(1, 100)
  choice!: string;

  @ApiProperty({
    pattern: '^[A-Za-z0-9_-]{8,100}$',
    description: 'idempotency key chosen by the client (a UUID is a good choice)',
  })
  @IsString()
  @Matches(CLIENT_KEY, { message: CLIENT_KEY_MESSAGE })
  clientKey!: string;
}

export class PollRefDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  pollId!: string;
}

/** GET /meetings/:id/inputs: the filters beside `limit` and `cursor`. */
export class ListInputsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: INPUT_KINDS, enumName: 'InputKind' })
  @IsOptional()
  @IsIn(INPUT_KINDS)
  kind?: InputKind;

  @ApiPropertyOptional({ format: 'uuid', description: 'only the inputs on this agenda item' })
  @IsOptional()
  @IsUUID()
  agendaItemId?: string;
}
