import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { CalendarDayKind, ReinspectionOutcome } from '@liexi/contracts';

/** 会办意见: a cooperating unit's opinion to the lead unit, due by a set date. */
@Entity({ name: 'task_cooperation_opinion' })
export class TaskCooperationOpinionEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_task_cooperation_opinion' })
  taskItemId!: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_task_cooperation_opinion' })
  unitId!: string;

  @Column({ type: 'date' })
  dueDate!: string;

  @Column({ type: 'text', nullable: true })
  body!: string | null;

  @Column({ type: 'uuid', nullable: true })
  submittedBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  submittedAt!: Date | null;

  /** The secretariat may waive an outstanding opinion (recorded with its reason). */
  @Column({ type: 'uuid', nullable: true })
  waivedBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  waivedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  waiveReason!: string | null;
}

/** 进展: a progress report of the lead unit. */
@Entity({ name: 'task_progress_report' })
@Index('ix_task_progress_report_task', ['taskItemId', 'createdAt'])
export class TaskProgressReportEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_task_progress_report' })
  id!: string;

  @Column({ type: 'uuid' })
  taskItemId!: string;

  @Column({ type: 'uuid' })
  unitId!: string;

  @Column({ type: 'text' })
  text!: string;

  @Column({ type: 'int' })
  percent!: number;

  /** Attachments as links. */
  @Column({ type: 'jsonb' })
  attachments!: string[];

  @Column({ type: 'uuid' })
  reportedBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** 分级审核: one decision on a reply draft at one level (sign / review / approve). */
@Entity({ name: 'task_reply_review' })
@Index('ix_task_reply_review_reply', ['replyId'])
export class TaskReplyReviewEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_task_reply_review' })
  id!: string;

  @Column({ type: 'uuid' })
  replyId!: string;

  @Column({ type: 'uuid' })
  taskItemId!: string;

  @Column({ type: 'text' })
  level!: 'sign' | 'review' | 'approve';

  @Column({ type: 'text' })
  decision!: 'passed' | 'sent_back';

  @Column({ type: 'text', nullable: true })
  comment!: string | null;

  @Column({ type: 'uuid' })
  actorId!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

export type DeadlineChangeKind = 'extension' | 'set';
export type DeadlineChangeStatus = 'pending' | 'approved' | 'rejected';

/**
 * The history of an item's deadline: extensions requested by the unit and decided by the
 * secretariat, and deadlines set by the secretariat (e.g. for second handling).
 */
@Entity({ name: 'task_deadline_change' })
@Index('ix_task_deadline_change_task', ['taskItemId', 'createdAt'])
@Index('ux_task_deadline_change_pending', ['taskItemId'], { unique: true, where: "status = 'pending'" })
export class TaskDeadlineChangeEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_task_deadline_change' })
  id!: string;

  @Column({ type: 'uuid' })
  taskItemId!: string;

  @Column({ type: 'text' })
  kind!: DeadlineChangeKind;

  @Column({ type: 'date' })
  previousDeadline!: string;

  @Column({ type: 'date' })
  requestedDeadline!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'text' })
  status!: DeadlineChangeStatus;

  @Column({ type: 'uuid' })
  requestedBy!: string;

  @Column({ type: 'uuid', nullable: true })
  decidedBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  decisionComment!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** 回头看: the re-inspection scheduled after a close-out, and its outcome. */
@Entity({ name: 'task_reinspection' })
@Index('ux_task_reinspection_round', ['taskItemId', 'round'], { unique: true })
export class TaskReinspectionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_task_reinspection' })
  id!: string;

  @Column({ type: 'uuid' })
  taskItemId!: string;

  /** The handling round that was closed (reopen count + 1). */
  @Column({ type: 'int' })
  round!: number;

  @Column({ type: 'timestamptz' })
  dueAt!: Date;

  /** Set by the job when the re-inspection fell due and the supervision office was told. */
  @Column({ type: 'timestamptz', nullable: true })
  notifiedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  outcome!: ReinspectionOutcome | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ type: 'uuid', nullable: true })
  recordedBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  recordedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** One supervision alert sent (reminder / overdue), once per item, kind and deadline. */
@Entity({ name: 'task_alert' })
@Index('ux_task_alert_once', ['taskItemId', 'kind', 'deadline'], { unique: true })
export class TaskAlertEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_task_alert' })
  id!: string;

  @Column({ type: 'uuid' })
  taskItemId!: string;

  @Column({ type: 'text' })
  kind!: 'reminder' | 'overdue';

  @Column({ type: 'date' })
  deadline!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** The holiday calendar: a holiday closes a weekday, a workday (调休) opens a weekend day. */
@Entity({ name: 'work_calendar_day' })
export class WorkCalendarDayEntity {
  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_work_calendar_day' })
  day!: string;

  @Column({ type: 'text' })
  kind!: CalendarDayKind;

  @Column({ type: 'text', default: '' })
  name!: string;
}
