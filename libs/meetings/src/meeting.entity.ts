import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { MeetingKind, MeetingStatus } from '@liexi/contracts';

@Entity({ name: 'meeting' })
@Index('ix_meeting_starts_at', ['startsAt'])
export class MeetingEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_meeting' })
  id!: string;

  @Column({ type: 'text' })
  kind!: MeetingKind;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'timestamptz' })
  startsAt!: Date;

  @Column({ type: 'timestamptz' })
  endsAt!: Date;

  @Column({ type: 'text', nullable: true })
  place!: string | null;

  @Column({ type: 'text', nullable: true })
  chair!: string | null;

  @Column({ type: 'text', default: 'draft' })
  status!: MeetingStatus;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
