import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { MeetingKind, MeetingStatus } from '@liexi/contracts';

@Entity({ name: 'meeting' })
@Index('ix_meeting_starts_at', ['startsAt'])
// The retention sweep looks only at ended meetings whose live event log is still there.
@Index('ix_meeting_event_log_due', ['closedAt'], {
  where: 'closed_at IS NOT NULL AND event_log_pruned_at IS NULL',
})
@Check('ck_meeting_closed_at', `(closed_at IS NOT NULL) = (status IN ('closed', 'cancelled'))`)
@Check('ck_meeting_event_log_pruned_at', `event_log_pruned_at IS NULL OR closed_at IS NOT NULL`)
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

  /** The leader account that chairs the meeting: besides the secretariat, the only one who steers it. */
  @Column({ type: 'uuid', nullable: true })
  chairAccountId!: string | null;

  @Column({ type: 'text', default: 'draft' })
  status!: MeetingStatus;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  /** When the meeting was closed or cancelled (the retention of its live event log counts from here). */
  @Column({ type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  /** When the events of its live stream were deleted (the stream's last seq stays). */
  @Column({ type: 'timestamptz', nullable: true })
  eventLogPrunedAt!: Date | null;
}
