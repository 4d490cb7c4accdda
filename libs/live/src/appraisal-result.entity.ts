import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * 评议结果: the closed satisfaction poll on a unit, kept per unit and meeting. Counts only —
 * never a voter, so a secret ballot stays secret.
 */
@Entity({ name: 'appraisal_result' })
@Index('ux_appraisal_result_poll', ['pollId'], { unique: true })
@Index('ix_appraisal_result_unit', ['unitId', 'closedAt'])
@Index('ix_appraisal_result_meeting', ['meetingId'])
export class AppraisalResultEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_appraisal_result' })
  id!: string;

  @Column({ type: 'uuid' })
  pollId!: string;

  @Column({ type: 'uuid' })
  meetingId!: string;

  @Column({ type: 'uuid' })
  unitId!: string;

  @Column({ type: 'text' })
  question!: string;

  @Column({ type: 'int' })
  satisfied!: number;

  @Column({ type: 'int' })
  basicallySatisfied!: number;

  @Column({ type: 'int' })
  unsatisfied!: number;

  /** Votes cast and attendees entitled (checked in) at close. */
  @Column({ type: 'int' })
  voted!: number;

  @Column({ type: 'int' })
  entitled!: number;

  @Column({ type: 'timestamptz' })
  closedAt!: Date;
}
