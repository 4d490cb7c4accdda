import { ApiProperty } from '@nestjs/swagger';
import { BilingualDto } from './insights-responses.dto';

/* Response shapes of inbox, history, contacts, publication and the public api (issue 10). */

export class InboxNoticeDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'task.assigned' }) topic!: string;
  @ApiProperty({ type: BilingualDto }) text!: BilingualDto;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) readAt!: string | null;
}

export class InboxPageDto {
  @ApiProperty({ type: [InboxNoticeDto] }) items!: InboxNoticeDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class MarkedDto {
  @ApiProperty() marked!: number;
}

export class HistoryActorDto {
  @ApiProperty() accountId!: string;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty({ nullable: true, type: String }) role!: string | null;
}

export class HistoryReviewDto {
  @ApiProperty({ enum: ['sign', 'review', 'approve'] }) level!: string;
  @ApiProperty({ enum: ['passed', 'sent_back'] }) decision!: string;
}

export class HistoryEntryDto {
  @ApiProperty() at!: string;
  @ApiProperty({ example: 'sign_reply' }) action!: string;
  @ApiProperty({ nullable: true, type: String }) from!: string | null;
  @ApiProperty({ nullable: true, type: String }) to!: string | null;
  @ApiProperty({ nullable: true, type: String }) comment!: string | null;
  @ApiProperty({
    nullable: true,
    type: HistoryActorDto,
    description: 'null for the system and for an anonymous proposer’s own acts',
  })
  by!: HistoryActorDto | null;
  @ApiProperty({ nullable: true, type: HistoryReviewDto }) review!: HistoryReviewDto | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: '{before, after} as audited' })
  changes!: object;
}

export class HistoryPageDto {
  @ApiProperty({ type: [HistoryEntryDto] }) items!: HistoryEntryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class ContactViewDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['visit', 'meeting', 'site', 'phone', 'online'] }) kind!: string;
  @ApiProperty() contactedOn!: string;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
  @ApiProperty() recordedAt!: string;
}

export class ContactsPageDto {
  @ApiProperty({ type: [ContactViewDto] }) items!: ContactViewDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class PublicationViewDto {
  @ApiProperty() id!: string;
  @ApiProperty({ nullable: true, type: String }) publishedAt!: string | null;
}

export class PublicReplyDto {
  @ApiProperty() round!: number;
  @ApiProperty() body!: string;
  @ApiProperty() sentAt!: string;
}

export class PublicMeetingDto {
  @ApiProperty() title!: string;
  @ApiProperty() startsAt!: string;
}

export class PublicItemDto {
  @ApiProperty() id!: string;
  @ApiProperty() problem!: string;
  @ApiProperty() leadUnit!: string;
  @ApiProperty({ type: [String] }) cooperatingUnits!: string[];
  @ApiProperty() measure!: string;
  @ApiProperty() deadline!: string;
  @ApiProperty() taskClass!: string;
  @ApiProperty({ nullable: true, type: String }) classReason!: string | null;
  @ApiProperty() state!: string;
  @ApiProperty({ nullable: true, type: PublicMeetingDto }) meeting!: PublicMeetingDto | null;
  @ApiProperty({ type: [PublicReplyDto] }) replies!: PublicReplyDto[];
  @ApiProperty() publishedAt!: string;
  @ApiProperty({ nullable: true, type: String }) closedAt!: string | null;
}

export class PublicItemsPageDto {
  @ApiProperty({ type: [PublicItemDto] }) items!: PublicItemDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
