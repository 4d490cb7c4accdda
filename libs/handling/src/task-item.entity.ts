import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { TaskClass, TaskState, Urgency } from '@liexi/contracts';

/** 任务: one item of a meeting's task list, on the four dimensions plus its close-out standard. */
@Entity({ name: 'task_item' })
@Index('ix_task_item_meeting', ['meetingId'])
@Index('ix_task_item_lead_unit', ['leadUnitId', 'state'])
@Index('ix_task_item_state_deadline', ['state', 'deadline'])
export class TaskItemEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_task_item' })
  id!: string;

  @Column({ type: 'uuid', nullable: true })
  meetingId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  agendaItemId!: string | null;

  /** 问题 */
  @Column({ type: 'text' })
  problem!: string;

  /** 责任: 牵头单位 */
  @Column({ type: 'uuid' })
  leadUnitId!: string;

  /** 责任人 (定岗定人) */
  @Column({ type: 'text', nullable: true })
  responsiblePerson!: string | null;

  /** 措施 */
  @Column({ type: 'text' })
  measure!: string;

  /** 时限: the calendar date by which it must be done (Asia/Shanghai by default). */
  @Column({ type: 'date' })
  deadline!: string;

  /** 销号标准 */
  @Column({ type: 'text' })
  closeOutStandard!: string;

  @Column({ type: 'text' })
  taskClass!: TaskClass;

  /** Required for class C: the legal or objective reason it cannot be solved. */
  @Column({ type: 'text', nullable: true })
  classReason!: string | null;

  @Column({ type: 'text', default: 'long_term' })
  urgency!: Urgency;

  @Column({ type: 'text', default: 'draft' })
  state!: TaskState;

  /** 二次办理: how many times the item was reopened. */
  @Column({ type: 'int', default: 0 })
  reopenCount!: number;

  @Column({ type: 'text', nullable: true })
  returnReason!: string | null;

  /** 退回: the unit the refusing unit suggests instead. */
  @Column({ type: 'uuid', nullable: true })
  suggestedUnitId!: string | null;

  /** Reopened without a new deadline yet: the secretariat must set one before handling resumes. */
  @Column({ type: 'boolean', default: false })
  deadlinePending!: boolean;

  /** 交办: when the item was first assigned (the figures' period counts from it); null while a draft. */
  @Column({ type: 'timestamptz', nullable: true })
  assignedAt!: Date | null;

  /** 政务公开: set when the item was published (an explicit, audited decision), null when withdrawn. */
  @Column({ type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  /**
   * The change counter: raised by one with every `task.changed` event, which carries it, so a
   * client following several unit streams applies each change once and in order.
   */
  @Column({ type: 'int', default: 0 })
  version!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
