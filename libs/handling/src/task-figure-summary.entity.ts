import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { TaskClass, TaskState } from '@liexi/contracts';

/**
 * The figure facts counted per group (task-figure-summary.ts explains the rows): written only by
 * `TaskFigureFacts` — rows added in the statement that re-derives the facts, folded by
 * compaction, rebuilt when what the rows hold changes.
 */
@Entity({ name: 'task_figure_summary' })
@Index('ix_task_figure_summary_day', ['assignedDay'])
export class TaskFigureSummaryEntity {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'pk_task_figure_summary',
  })
  id!: string;

  /** True for items whose figures depend on today (not settled): the columns below are set. */
  @Column({ type: 'boolean' })
  open!: boolean;

  /** The UTC date of `assigned_at`. */
  @Column({ type: 'date' })
  assignedDay!: string;

  @Column({ type: 'uuid', nullable: true })
  meetingId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  agendaItemId!: string | null;

  @Column({ type: 'text' })
  taskClass!: TaskClass;

  /** The proposers' constituencies as bits (as on the facts). */
  @Column({ type: 'smallint' })
  constituencies!: number;

  @Column({ type: 'text', nullable: true })
  state!: TaskState | null;

  @Column({ type: 'date', nullable: true })
  deadline!: string | null;

  @Column({ type: 'boolean', nullable: true })
  deadlinePending!: boolean | null;

  /** 'epoch' when replied, else null. */
  @Column({ type: 'timestamptz', nullable: true })
  repliedAt!: Date | null;

  @Column({ type: 'boolean', nullable: true })
  repliedOnTime!: boolean | null;

  /** Items counted (a row added by a change may be negative: it takes items out of a group). */
  @Column({ type: 'int' })
  n!: number;

  /** Per `SUMMARY_COLUMNS[i]`, how many of the items satisfy it (1-based in SQL). */
  @Column({ type: 'int', array: true })
  counts!: number[];
}

/** Which layout the summary rows were written with (`SUMMARY_LAYOUT`); one row. */
@Entity({ name: 'task_figure_summary_layout' })
export class TaskFigureSummaryLayoutEntity {
  @PrimaryColumn({ type: 'smallint', primaryKeyConstraintName: 'pk_task_figure_summary_layout' })
  id!: number;

  @Column({ type: 'text' })
  layout!: string;

  @Column({ type: 'timestamptz' })
  builtAt!: Date;
}
