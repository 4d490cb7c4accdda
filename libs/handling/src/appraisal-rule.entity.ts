import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Urgency } from '@liexi/contracts';

/**
 * When an appraisal result (满意度测评 of a unit) calls for rectification:
 * `unsatisfied_share_above` — the unsatisfied share of the votes is above `threshold` (0: any
 * unsatisfied vote, as seed 004 followed up 2 and 1 votes); `majority_unsatisfied` — more than
 * half of the votes are unsatisfied. One row (id 1); the defaults hold until it is set.
 */
@Entity({ name: 'appraisal_rule' })
export class AppraisalRuleEntity {
  @PrimaryColumn({ type: 'int', primaryKeyConstraintName: 'pk_appraisal_rule' })
  id!: number;

  @Column({ type: 'text' })
  kind!: 'unsatisfied_share_above' | 'majority_unsatisfied';

  @Column({ type: 'numeric', precision: 5, scale: 4, default: 0 })
  threshold!: string;

  /** 立行立改 or 长期整改. */
  @Column({ type: 'text' })
  urgency!: Urgency;

  @Column({ type: 'int' })
  deadlineWorkingDays!: number;

  @Column({ type: 'uuid', nullable: true })
  updatedBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** The rectification item an appraisal result led to: one per result (idempotent). */
@Entity({ name: 'task_appraisal_source' })
export class TaskAppraisalSourceEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_task_appraisal_source' })
  appraisalResultId!: string;

  @Column({ type: 'uuid' })
  taskItemId!: string;
}
