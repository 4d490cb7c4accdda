import { ApiProperty } from '@nestjs/swagger';
import {
  CONSTITUENCIES,
  INPUT_KINDS,
  type InputKind,
  type InputView as InputContract,
} from '@liexi/contracts';

/*
 * The live context's views as the HTTP api shows them (the socket protocol's shapes are the
 * contract types in libs/contracts, documented by the AsyncAPI document).
 */

export class InputAuthorView {
  @ApiProperty({ format: 'uuid' }) participantId!: string;
  @ApiProperty({ example: '王建国' }) name!: string;
  @ApiProperty({ enum: CONSTITUENCIES, enumName: 'Constituency' }) constituency!: string;
}

/** 意见建议: an input raised in a session, as the caller may see it (anonymous authors never shown). */
export class InputView implements InputContract {
  @ApiProperty({ format: 'uuid' }) inputId!: string;
  @ApiProperty({ format: 'uuid' }) meetingId!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) agendaItemId!: string | null;
  @ApiProperty({ enum: INPUT_KINDS, enumName: 'InputKind' }) kind!: InputKind;
  @ApiProperty({ example: '医疗器械项目缺少抵押物，贷款批不下来，恳请协调解决融资难题。' }) text!: string;
  @ApiProperty() anonymous!: boolean;
  @ApiProperty({ type: InputAuthorView, nullable: true, description: 'null when the input is anonymous' })
  author!: InputAuthorView | null;
  @ApiProperty({ minimum: 0, description: '联名: how many other attendees co-signed it' })
  cosignCount!: number;
  @ApiProperty() hidden!: boolean;
  @ApiProperty({ format: 'date-time' }) submittedAt!: string;
  @ApiProperty({ minimum: 1, description: 'the seq of its input.submitted event' }) seq!: number;
}
