import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const SPEAKER_STATES = ['queued', 'speaking', 'done', 'withdrawn'] as const;
export type SpeakerState = (typeof SPEAKER_STATES)[number];

/** 申请发言: a request to speak; at most one open (queued or speaking) per person and meeting. */
@Entity({ name: 'speaker_request' })
@Index('ux_speaker_request_meeting_client_key', ['meetingId', 'clientKey'], { unique: true })
@Index('ux_speaker_request_open', ['meetingId', 'participantId'], {
  unique: true,
  where: `state IN ('queued', 'speaking')`,
})
@Index('ix_speaker_request_meeting_state', ['meetingId', 'state', 'requestedAt'])
export class SpeakerRequestEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_speaker_request' })
  id!: string;

  @Column({ type: 'uuid' })
  meetingId!: string;

  @Column({ type: 'uuid' })
  participantId!: string;

  @Column({ type: 'uuid', nullable: true })
  agendaItemId!: string | null;

  @Column({ type: 'text' })
  clientKey!: string;

  @Column({ type: 'text', default: 'queued' })
  state!: SpeakerState;

  /** The seq of the `speakers.changed` event that queued it (the idempotent answer). */
  @Column({ type: 'bigint' })
  seq!: string;

  @Column({ type: 'timestamptz', default: () => 'clock_timestamp()' })
  requestedAt!: Date;
}
