import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Constituency } from '@liexi/contracts';

/** 列席人员: a person who may be invited to sit in. */
@Entity({ name: 'participant' })
@Index('ix_participant_constituency', ['constituency', 'active'])
export class ParticipantEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_participant' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  constituency!: Constituency;

  @Column({ type: 'text', nullable: true })
  sector!: string | null;

  @Column({ type: 'text', nullable: true })
  district!: string | null;

  /** Private: only the secretariat ever sees it. */
  @Column({ type: 'text', nullable: true })
  contact!: string | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
