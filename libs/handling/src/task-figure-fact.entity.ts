import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { TaskClass, TaskState } from '@liexi/contracts';

/**
 * One row per task item with what the figures count (FIGURES.md), derived from the item's
 * records by one statement (`TaskFigureFacts.refresh`) in the transaction of every change of
 * the item — so it is never out of step with them — and narrow, so a figure over a million
 * items reads one small table. Never written any other way.
 */
@Entity({ name: 'task_figure_fact' })
@Index('ix_task_figure_fact_assigned', ['assignedAt', 'taskItemId'])
@Index('ix_task_figure_fact_unit', ['leadUnitId', 'assignedAt'])
@Index('ix_task_figure_fact_meeting', ['meetingId'])
@Index('ix_task_figure_fact_open', ['deadline'], {
  where: "state NOT IN ('draft', 'replied', 'evaluated', 'closed')",
})
export class TaskFigureFactEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_task_figure_fact' })
  taskItemId!: string;

  @Column({ type: 'uuid' })
  leadUnitId!: string;

  @Column({ type: 'uuid', nullable: true })
  meetingId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  agendaItemId!: string | null;

  @Column({ type: 'text' })
  taskClass!: TaskClass;

  @Column({ type: 'text' })
  state!: TaskState;

  /** First assignment; null for drafts (which no figure counts). */
  @Column({ type: 'timestamptz', nullable: true })
  assignedAt!: Date | null;

  @Column({ type: 'date' })
  deadline!: string;

  @Column({ type: 'boolean' })
  deadlinePending!: boolean;

  /** When the first reply was sent to the proposers (办复). */
  @Column({ type: 'timestamptz', nullable: true })
  repliedAt!: Date | null;

  /** First reply sent on or before the deadline in force at that moment (local date); null until replied. */
  @Column({ type: 'boolean', nullable: true })
  repliedOnTime!: boolean | null;

  /** Worst rating of the first round: 2 satisfied, 1 basically satisfied, 0 unsatisfied; null unrated. */
  @Column({ type: 'smallint', nullable: true })
  firstScore!: number | null;

  /** Worst rating of the last round that has ratings (same scale). */
  @Column({ type: 'smallint', nullable: true })
  finalScore!: number | null;

  @Column({ type: 'int' })
  reopenCount!: number;

  @Column({ type: 'boolean' })
  cooperating!: boolean;

  /** Contacts with the proposers: 2 face to face (见面), 1 other contact only, 0 none. */
  @Column({ type: 'smallint' })
  contact!: number;

  /** The proposers' constituencies as bits: bit i set when a proposer is of `CONSTITUENCIES[i]`. */
  @Column({ type: 'smallint', default: 0 })
  constituencies!: number;
}
