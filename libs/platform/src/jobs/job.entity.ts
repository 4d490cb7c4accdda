import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type JobStatus = 'pending' | 'done' | 'failed';

/**
 * A durable scheduled job. Claimed with `FOR UPDATE SKIP LOCKED` by whichever node gets it
 * first; the handler's work and the job's completion commit in one transaction.
 */
@Entity({ name: 'job' })
@Index('ix_job_due', ['status', 'runAt'])
/** Retention finds old done jobs through this (see JobRetention). */
@Index('ix_job_done_at', ['doneAt'], { where: "status = 'done'" })
@Index('ux_job_key', ['key'], { unique: true })
export class JobEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_job' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Dedupe key: scheduling the same key twice keeps the first job. */
  @Column({ type: 'text', nullable: true })
  key!: string | null;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Column({ type: 'timestamptz' })
  runAt!: Date;

  @Column({ type: 'text', default: 'pending' })
  status!: JobStatus;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ type: 'int', default: 5 })
  maxAttempts!: number;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  doneAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
