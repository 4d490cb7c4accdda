import { ApiProperty } from '@nestjs/swagger';
import {
  LIGHTS,
  RATINGS,
  REINSPECTION_OUTCOMES,
  TASK_CLASSES,
  TASK_STATES,
  URGENCIES,
  type Rating,
  type ReinspectionOutcome,
  type SupervisionLight,
  type TaskClass,
  type TaskState,
  type Urgency,
} from '@liexi/contracts';
import { TASK_ACTIONS, type TaskAction } from './task-workflow';

/*
 * What the handling context hands out: views, never its entities. Controllers and other
 * contexts (the ledger in insights) see only these shapes; the OpenAPI document is built from
 * the decorators below.
 */

const DATE = { type: String, format: 'date', example: '2026-12-31' } as const;
const DATE_TIME = { type: String, format: 'date-time', example: '2026-11-22T09:30:00.000Z' } as const;
const NULLABLE_DATE_TIME = { ...DATE_TIME, nullable: true } as const;
const UUID = { type: String, format: 'uuid' } as const;
const NULLABLE_UUID = { ...UUID, nullable: true } as const;

/** 提议人: named proposers only; anonymous ones are counted, never identified. */
export class TaskProposersView {
  @ApiProperty({ type: [String], format: 'uuid' }) participantIds!: string[];
  @ApiProperty({ minimum: 0 }) anonymousCount!: number;
}

export const REVIEW_LEVELS = ['sign', 'review', 'approve'] as const;
export const REVIEW_DECISIONS = ['passed', 'sent_back'] as const;

/** 分级审核: one decision on a reply draft at one level. */
export class TaskReplyReviewView {
  @ApiProperty({
    enum: REVIEW_LEVELS,
    description: 'sign 单位负责人签发, review 政府办审核, approve 领导审批',
  })
  level!: (typeof REVIEW_LEVELS)[number];
  @ApiProperty({ enum: REVIEW_DECISIONS }) decision!: (typeof REVIEW_DECISIONS)[number];
  @ApiProperty({ type: String, nullable: true, example: '请补充贷款发放时间' }) comment!: string | null;
  @ApiProperty(DATE_TIME) at!: string;
}

/** 答复: a draft of the unit's answer, with its reviews; `round` counts second handlings. */
export class TaskReplyView {
  @ApiProperty(UUID) id!: string;
  @ApiProperty({ minimum: 1 }) round!: number;
  @ApiProperty({ example: '1650万元知识产权质押贷款已获批，另发放1500万元流动资金贷款。' }) body!: string;
  @ApiProperty() approved!: boolean;
  @ApiProperty(NULLABLE_DATE_TIME) sentAt!: string | null;
  @ApiProperty({ type: [TaskReplyReviewView] }) reviews!: TaskReplyReviewView[];
}

/** 满意度评价 of one proposer in one round. */
export class TaskEvaluationView {
  @ApiProperty({ minimum: 1 }) round!: number;
  @ApiProperty({ enum: RATINGS, enumName: 'Rating' }) rating!: Rating;
  @ApiProperty({ type: String, nullable: true, example: '办理及时，非常满意' }) comment!: string | null;
  @ApiProperty(DATE_TIME) at!: string;
}

/** 进展: a progress report of the lead unit. */
export class TaskProgressView {
  @ApiProperty({ example: '已与县农商行对接，完成专利评估' }) text!: string;
  @ApiProperty({ minimum: 0, maximum: 100 }) percent!: number;
  @ApiProperty({ type: [String], format: 'uri' }) attachments!: string[];
  @ApiProperty(DATE_TIME) at!: string;
}

/** 会办意见 of a cooperating unit. */
export class TaskOpinionView {
  @ApiProperty(UUID) unitId!: string;
  @ApiProperty(DATE) dueDate!: string;
  @ApiProperty({ type: String, nullable: true, example: '同意牵头单位方案，我行负责贷款审批' }) body!:
    string | null;
  @ApiProperty(NULLABLE_DATE_TIME) submittedAt!: string | null;
  @ApiProperty(NULLABLE_DATE_TIME) waivedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) waiveReason!: string | null;
}

export const DEADLINE_CHANGE_KINDS = ['extension', 'set'] as const;
export const DEADLINE_CHANGE_STATUSES = ['pending', 'approved', 'rejected'] as const;

/** A deadline change: an extension the unit asked for, or a deadline the secretariat set. */
export class TaskDeadlineChangeView {
  @ApiProperty(UUID) id!: string;
  @ApiProperty({ enum: DEADLINE_CHANGE_KINDS }) kind!: string;
  @ApiProperty(DATE) previousDeadline!: string;
  @ApiProperty(DATE) requestedDeadline!: string;
  @ApiProperty({ example: '需等待省级专项资金下达' }) reason!: string;
  @ApiProperty({ enum: DEADLINE_CHANGE_STATUSES }) status!: string;
  @ApiProperty({ type: String, nullable: true }) decisionComment!: string | null;
  @ApiProperty(DATE_TIME) at!: string;
}

/** 回头看: a scheduled re-inspection after close-out. */
export class TaskReinspectionView {
  @ApiProperty({ minimum: 1 }) round!: number;
  @ApiProperty(DATE_TIME) dueAt!: string;
  @ApiProperty({ enum: REINSPECTION_OUTCOMES, nullable: true }) outcome!: ReinspectionOutcome | null;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
}

/** 任务: a task item with everything about it. */
export class TaskItemView {
  @ApiProperty(UUID) id!: string;
  @ApiProperty({ ...NULLABLE_UUID, description: '一会一单: the meeting it was decided in' })
  meetingId!: string | null;
  @ApiProperty(NULLABLE_UUID) agendaItemId!: string | null;
  @ApiProperty({ description: '问题', example: '医疗器械项目缺少抵押物，融资难' }) problem!: string;
  @ApiProperty({ ...UUID, description: '牵头单位' }) leadUnitId!: string;
  @ApiProperty({ type: [String], format: 'uuid', description: '配合单位' }) cooperatingUnitIds!: string[];
  @ApiProperty({ type: String, nullable: true, description: '责任人', example: '张主任' })
  responsiblePerson!: string | null;
  @ApiProperty({ description: '措施', example: '知识产权质押贷款' }) measure!: string;
  @ApiProperty({ ...DATE, description: '时限' }) deadline!: string;
  @ApiProperty({
    description: 'Reopened and waiting for the secretariat to set the deadline of the second handling.',
  })
  deadlinePending!: boolean;
  @ApiProperty({
    enum: LIGHTS,
    enumName: 'SupervisionLight',
    nullable: true,
    description:
      'Computed from the deadline, the holiday calendar and today (never stored); null unless being handled.',
  })
  light!: SupervisionLight | null;
  @ApiProperty({ description: '销号标准', example: '贷款审批发放到位' }) closeOutStandard!: string;
  @ApiProperty({
    enum: TASK_CLASSES,
    enumName: 'TaskClass',
    description: 'A 当年解决, B 三年内基本解决, C 因客观原因无法解决',
  })
  taskClass!: TaskClass;
  @ApiProperty({ type: String, nullable: true, description: 'class C: why it cannot be solved' })
  classReason!: string | null;
  @ApiProperty({
    enum: URGENCIES,
    enumName: 'Urgency',
    description: 'immediate 立行立改, long_term 长期整改',
  })
  urgency!: Urgency;
  @ApiProperty({ enum: TASK_STATES, enumName: 'TaskState' }) state!: TaskState;
  @ApiProperty({ minimum: 0, description: '二次办理: how many times it was reopened' }) reopenCount!: number;
  @ApiProperty({ type: String, nullable: true, description: '退回理由' }) returnReason!: string | null;
  @ApiProperty(NULLABLE_UUID) suggestedUnitId!: string | null;
  @ApiProperty(NULLABLE_DATE_TIME) closedAt!: string | null;
  @ApiProperty({ ...NULLABLE_DATE_TIME, description: '政务公开: when it was published' }) publishedAt!:
    string | null;
  @ApiProperty({ ...NULLABLE_DATE_TIME, description: '交办: first assignment (null while a draft)' })
  assignedAt!: string | null;
  @ApiProperty(DATE_TIME) createdAt!: string;
  @ApiProperty({ type: [String], format: 'uuid' }) sourceInputIds!: string[];
  @ApiProperty({ type: TaskProposersView }) proposers!: TaskProposersView;
  @ApiProperty({ type: [TaskReplyView] }) replies!: TaskReplyView[];
  @ApiProperty({ type: [TaskEvaluationView] }) evaluations!: TaskEvaluationView[];
  @ApiProperty({ type: [TaskProgressView] }) progress!: TaskProgressView[];
  @ApiProperty({ type: [TaskOpinionView] }) opinions!: TaskOpinionView[];
  @ApiProperty({ type: [TaskDeadlineChangeView] }) deadlineChanges!: TaskDeadlineChangeView[];
  @ApiProperty({ type: [TaskReinspectionView] }) reinspections!: TaskReinspectionView[];
  @ApiProperty({
    enum: TASK_ACTIONS,
    enumName: 'TaskAction',
    isArray: true,
    description: 'The workflow actions the state allows (the caller’s role may allow fewer).',
  })
  allowedActions!: TaskAction[];
}
