import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Constituency, InvitationSource, InvitationStatus } from '@liexi/contracts';
import type { InvitationExplanation } from './meetings.views';

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

  /** The person's constituency when invited (figures count person-times by it). */
  @Column({ type: 'text', nullable: true })
  constituency!: Constituency | null;

  @Column({ type: 'text', default: 'invited' })
  status!: InvitationStatus;

  @Column({ type: 'text', default: 'manual' })
  source!: InvitationSource;

  @Column({ type: 'uuid', nullable: true })
  policyId!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  explanation!: InvitationExplanation | null;

  @Column({ type: 'text', nullable: true })
  declineReason!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  respondedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  checkedInAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  withdrawnAt!: Date | null;

  /** sha256 of the one-time check-in code; never selected by default. */
  @Column({ type: 'text', nullable: true, select: false })
  checkinCodeHash!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  checkinCodeExpiresAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  checkinCodeUsedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  invitedAt!: Date;
}
