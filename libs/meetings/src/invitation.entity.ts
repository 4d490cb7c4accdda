import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { InvitationStatus } from '@liexi/contracts';

@Entity({ name: 'invitation' })
@Index('ux_invitation_meeting_participant', ['meetingId', 'participantId'], { unique: true })
@Index('ix_invitation_participant', ['participantId'])
export class InvitationEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_invitation' })
  id!: string;

  @Column({ type: 'uuid' })
  meetingId!: string;

  @Column({ type: 'uuid' })
  participantId!: string;

  @Column({ type: 'text', default: 'invited' })
  status!: InvitationStatus;

  @Column({ type: 'text', nullable: true })
  declineReason!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  checkedInAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  invitedAt!: Date;
}
