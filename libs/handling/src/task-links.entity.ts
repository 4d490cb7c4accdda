import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { Constituency, Rating } from '@liexi/contracts';

/** 配合单位 of a task item. */
@Entity({ name: 'task_cooperating_unit' })
export class TaskCooperatingUnitEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_task_cooperating_unit' })
  taskItemId!: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_task_cooperating_unit' })
  unitId!: string;
}

/** The inputs a task item was made from. */
@Entity({ name: 'task_source_input' })
@Index('ix_task_source_input_input', ['inputId'])
export class TaskSourceInputEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_task_source_input' })
  taskItemId!: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_task_source_input' })
  inputId!: string;
}

/** The proposers who rate the reply: the authors of the source inputs, fixed at creation. */
@Entity({ name: 'task_proposer' })
@Index('ix_task_proposer_participant', ['participantId'])
export class TaskProposerEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_task_proposer' })
  taskItemId!: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_task_proposer' })
  participantId!: string;

  /** True when every source input of this proposer was anonymous: never shown, only counted. */
  @Column({ type: 'boolean', default: false })
  anonymous!: boolean;

  /**
   * The proposer's constituency (界别), copied from the directory when the proposer is added and
   * kept current when the directory changes it (TaskFigureFacts.constituencyChanged): the
   * figures' constituency filter reads it from the facts (`constituencies`).
   */
  @Column({ type: 'text' })
  constituency!: Constituency;
}

/** 答复: the unit's written answer; `round` counts second handlings. */
@Entity({ name: 'task_reply' })
@Index('ix_task_reply_task', ['taskItemId', 'round'])
export class TaskReplyEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_task_reply' })
  id!: string;

  @Column({ type: 'uuid' })
  taskItemId!: string;

  @Column({ type: 'int' })
  round!: number;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'uuid' })
  draftedBy!: string;

  @Column({ type: 'uuid', nullable: true })
  approvedBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  approvedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** 满意度评价 of one proposer in one round. */
@Entity({ name: 'task_evaluation' })
@Index('ux_task_evaluation_round', ['taskItemId', 'participantId', 'round'], { unique: true })
export class TaskEvaluationEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_task_evaluation' })
  id!: string;

  @Column({ type: 'uuid' })
  taskItemId!: string;

  @Column({ type: 'uuid' })
  participantId!: string;

  @Column({ type: 'int' })
  round!: number;

  @Column({ type: 'text' })
  rating!: Rating;

  @Column({ type: 'text', nullable: true })
  comment!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
