import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/* Response shapes of the insights routes (issue 10), for the OpenAPI document. */

export class BilingualDto {
  @ApiProperty() zh!: string;
  @ApiProperty() en!: string;
}

export class FigurePartDto {
  @ApiProperty() code!: string;
  @ApiProperty({ type: BilingualDto }) name!: BilingualDto;
  @ApiProperty() count!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'count ÷ total, 4 decimals' }) share!:
    number | null;
}

export class FigureDto {
  @ApiProperty({ example: 'reply_rate' }) code!: string;
  @ApiProperty({ type: BilingualDto }) name!: BilingualDto;
  @ApiProperty({ type: BilingualDto }) definition!: BilingualDto;
  @ApiProperty({ enum: ['items', 'inputs', 'person_times'] }) counts!: string;
  @ApiProperty({ description: 'the denominator' }) total!: number;
  @ApiProperty({ nullable: true, type: Number }) numerator!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'numerator ÷ total, 4 decimals' }) value!:
    number | null;
  @ApiProperty({ nullable: true, type: [String] }) numeratorParts!: string[] | null;
  @ApiProperty({
    type: [FigurePartDto],
    description: 'a partition of the denominator: the counts add up to total',
  })
  parts!: FigurePartDto[];
  @ApiProperty({ type: [String] }) filtersApplied!: string[];
  @ApiPropertyOptional({ description: 'overdue only: working days overdue, summed' }) overdueDays?: number;
}

export class FiguresOverviewDto {
  @ApiProperty({ example: '2026-05-01' }) today!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) filter!: Record<string, string>;
  @ApiProperty({ type: [FigureDto] }) figures!: FigureDto[];
}

export class FigureRowsPageDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description:
      'kind item: {id, problem, leadUnit, taskClass, state, deadline, assignedAt, repliedAt, firstRating, finalRating, …}; kind input: {id, meetingId, kind, text, anonymous, disposition, createdAt} (never the author); kind person_time: {invitationId, meetingTitle, participantName, constituency, status}',
  })
  items!: object[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class RankingCriterionDto {
  @ApiProperty() code!: string;
  @ApiProperty({ type: BilingualDto }) name!: BilingualDto;
  @ApiProperty({ enum: ['higher', 'lower'] }) better!: string;
  @ApiProperty() definition!: string;
}

export class RankingRowDto {
  @ApiProperty() rank!: number;
  @ApiProperty() unitId!: string;
  @ApiProperty() unitName!: string;
  @ApiProperty() assigned!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number', nullable: true } })
  values!: Record<string, number | null>;
}

export class RankingDto {
  @ApiProperty({ type: [RankingCriterionDto] }) criteria!: RankingCriterionDto[];
  @ApiProperty({ type: [RankingRowDto] }) items!: RankingRowDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class LateUnitDto {
  @ApiProperty() unitId!: string;
  @ApiProperty() unitName!: string;
  @ApiProperty() overdue!: number;
  @ApiProperty() overdueDays!: number;
  @ApiProperty() handling!: number;
}

export class LateUnitsPageDto {
  @ApiProperty({ type: [LateUnitDto] }) items!: LateUnitDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class MeetingListDto {
  @ApiProperty() meetingId!: string;
  @ApiProperty() title!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() startsAt!: string;
  @ApiProperty() total!: number;
  @ApiProperty() closed!: number;
  @ApiProperty() open!: number;
  @ApiProperty() overdue!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } }) byState!: Record<string, number>;
}

export class MeetingListsPageDto {
  @ApiProperty({ type: [MeetingListDto] }) items!: MeetingListDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class AppraisalCountsDto {
  @ApiProperty() satisfied!: number;
  @ApiProperty() basicallySatisfied!: number;
  @ApiProperty() unsatisfied!: number;
}

export class AppraisalResultDto {
  @ApiProperty() id!: string;
  @ApiProperty() pollId!: string;
  @ApiProperty() meetingId!: string;
  @ApiProperty() unitId!: string;
  @ApiProperty() question!: string;
  @ApiProperty({ type: AppraisalCountsDto, description: 'counts only: never a voter' })
  counts!: AppraisalCountsDto;
  @ApiProperty() voted!: number;
  @ApiProperty() entitled!: number;
  @ApiProperty({ nullable: true, type: Number }) satisfactionRate!: number | null;
  @ApiProperty({ nullable: true, type: Number }) unsatisfiedShare!: number | null;
  @ApiProperty() closedAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'the rectification item it led to' })
  rectificationTaskId?: string | null;
}

export class AppraisalResultsPageDto {
  @ApiProperty({ type: [AppraisalResultDto] }) items!: AppraisalResultDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class AppraisalRuleViewDto {
  @ApiProperty({ enum: ['unsatisfied_share_above', 'majority_unsatisfied'] }) kind!: string;
  @ApiProperty() threshold!: number;
  @ApiProperty({ enum: ['immediate', 'long_term'] }) urgency!: string;
  @ApiProperty() deadlineWorkingDays!: number;
  @ApiProperty({ type: BilingualDto }) description!: BilingualDto;
}
