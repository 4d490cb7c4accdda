import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { InputDisposition, InputKind } from '@liexi/contracts';

/** 意见建议: what an attendee said in the session. */
@Entity({ name: 'input' })
@Index('ux_input_meeting_client_key', ['meetingId', 'clientKey'], { unique: true })
@Index('ix_input_meeting_seq', ['meetingId', 'submittedSeq'])
@Index('ix_input_author', ['authorParticipantId'])
export class InputEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_input' })
  id!: string;

  @Column({ type: 'uuid' })
  meetingId!: string;

  @Column({ type: 'uuid', nullable: true })
  agendaItemId!: string | null;

  /** Client-generated idempotency key: a retry with it returns the first result. */
  @Column({ type: 'text' })
  clientKey!: string;

  /** Kept for co-signing, evaluation and rate limits; never sent out when `anonymous`. */
  @Column({ type: 'uuid' })
  authorParticipantId!: string;

  @Column({ type: 'text' })
  kind!: InputKind;

  @Column({ type: 'text' })
  text!: string;

  @Column({ type: 'boolean', default: false })
  anonymous!: boolean;

  @Column({ type: 'boolean', default: false })
  hidden!: boolean;

  /** The seq of its `input.submitted` event in the meeting's log. */
  @Column({ type: 'bigint', default: 0 })
  submittedSeq!: string;

  @Column({ type: 'text', default: 'pending' })
  disposition!: InputDisposition;

  /** Set when the secretariat merged this input into another (it is then hidden). */
  @Column({ type: 'uuid', nullable: true })
  mergedIntoInputId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  dispositionTaskId!: string | null;

  @Column({ type: 'text', nullable: true })
  dispositionReason!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
