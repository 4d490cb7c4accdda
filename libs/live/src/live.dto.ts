import { INPUT_KINDS, type InputKind, MAX_INPUT_TEXT } from '@liexi/contracts';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Min } from 'class-validator';

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
