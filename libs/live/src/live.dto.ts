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
import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto } from '@liexi/platform';

export class JoinMeetingDto {
  @IsUUID()
  meetingId!: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  afterSeq?: number;
}

export class LeaveMeetingDto {
  @IsUUID()
  meetingId!: string;
}

export class SubmitInputDto {
  @IsUUID()
  meetingId!: string;

  /** 8–100 characters of [A-Za-z0-9_-]; a UUID is a good choice. */
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{8,100}$/, { message: 'clientKey must be 8–100 characters of A-Z a-z 0-9 _ -' })
  clientKey!: string;

  @IsIn(INPUT_KINDS)
  kind!: InputKind;

  @IsString()
  @Length(1, MAX_INPUT_TEXT)
  text!: string;

  @IsOptional()
  @IsUUID()
  agendaItemId?: string;

  @IsOptional()
  @IsBoolean()
  anonymous?: boolean;
}

const CLIENT_KEY = /^[A-Za-z0-9_-]{8,100}$/;
const CLIENT_KEY_MESSAGE = 'clientKey must be 8–100 characters of A-Z a-z 0-9 _ -';

export class MeetingRefDto {
  @IsUUID()
  meetingId!: string;
}

export class CosignInputDto {
  @IsUUID()
  inputId!: string;

  @IsString()
  @Matches(CLIENT_KEY, { message: CLIENT_KEY_MESSAGE })
  clientKey!: string;
}

export class RequestSpeakerDto {
  @IsUUID()
  meetingId!: string;

  @IsOptional()
  @IsUUID()
  agendaItemId?: string;

  @IsString()
  @Matches(CLIENT_KEY, { message: CLIENT_KEY_MESSAGE })
  clientKey!: string;
}

export class ModerateInputDto {
  @IsUUID()
  inputId!: string;

  @IsIn(MODERATION_ACTIONS)
  action!: ModerationAction;

  @ValidateIf((o: ModerateInputDto) => o.action === 'merge' || o.intoInputId !== undefined)
  @IsUUID()
  intoInputId?: string;

  @IsString()
  @Length(1, 1000)
  reason!: string;
}

export class OpenPollDto {
  @IsUUID()
  meetingId!: string;

  @IsIn(POLL_KINDS)
  kind!: PollKind;

  @IsString()
  @Length(1, 500)
  question!: string;

  /** Two to twenty distinct choices; not used for `satisfaction` (fixed choices). */
  @ValidateIf((o: OpenPollDto) => o.kind !== 'satisfaction' || o.choices !== undefined)
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  choices?: string[];

  @ValidateIf((o: OpenPollDto) => o.kind === 'satisfaction' || o.targetUnitId !== undefined)
  @IsUUID()
  targetUnitId?: string;
}

export class VoteDto {
  @IsUUID()
  pollId!: string;

  @IsString()
  @Length(1, 100)
  choice!: string;

  @IsString()
  @Matches(CLIENT_KEY, { message: CLIENT_KEY_MESSAGE })
  clientKey!: string;
}

export class PollRefDto {
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
