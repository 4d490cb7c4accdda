import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** 联名: one attendee co-signing one input; once per person, idempotent by client key. */
@Entity({ name: 'input_cosign' })
@Index('ux_input_cosign_input_participant', ['inputId', 'participantId'], { unique: true })
@Index('ux_input_cosign_meeting_client_key', ['meetingId', 'clientKey'], { unique: true })
export class InputCosignEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_input_cosign' })
  id!: string;

  @Column({ type: 'uuid' })
  meetingId!: string;

  @Column({ type: 'uuid' })
  inputId!: string;

  @Column({ type: 'uuid' })
  participantId!: string;

  @Column({ type: 'text' })
  clientKey!: string;

  /** The seq of its `input.cosigned` event. */
  @Column({ type: 'bigint' })
  seq!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
