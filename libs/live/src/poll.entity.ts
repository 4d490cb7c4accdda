import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { PollKind } from '@liexi/contracts';

/** 表决 / 满意度测评: a vote held live in a meeting. Results are computed from the ballots. */
@Entity({ name: 'poll' })
@Index('ix_poll_meeting', ['meetingId', 'state'])
export class PollEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_poll' })
  id!: string;

  @Column({ type: 'uuid' })
  meetingId!: string;

  @Column({ type: 'text' })
  kind!: PollKind;

  @Column({ type: 'text' })
  question!: string;

  @Column({ type: 'text', array: true })
  choices!: string[];

  /** For a satisfaction vote: the unit rated. */
  @Column({ type: 'uuid', nullable: true })
  targetUnitId!: string | null;

  @Column({ type: 'text', default: 'open' })
  state!: 'open' | 'closed';

  @CreateDateColumn({ type: 'timestamptz' })
  openedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt!: Date | null;
}

/**
 * Who has voted (the one-vote rule). For a `named` poll it keeps the choice; for `secret` and
 * `satisfaction` polls it never does, and at close `clientKey` and `receipt` — the only things
 * that lead to a ballot — are erased. No timestamp, on purpose.
 */
@Entity({ name: 'poll_voter' })
@Index('ux_poll_voter_client_key', ['pollId', 'clientKey'], { unique: true })
export class PollVoterEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_poll_voter' })
  pollId!: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_poll_voter' })
  participantId!: string;

  @Column({ type: 'text', nullable: true })
  clientKey!: string | null;

  @Column({ type: 'text', nullable: true })
  receipt!: string | null;

  /** Named polls only. */
  @Column({ type: 'text', nullable: true })
  choice!: string | null;
}

/**
 * One ballot: a choice and a random receipt, with no voter, no timestamp and a random key.
 * At close the ballots of a secret poll are rewritten in random order in one transaction, so
 * neither physical order nor the inserting transaction id can tie a ballot to a voter row.
 */
@Entity({ name: 'poll_ballot' })
@Index('ix_poll_ballot_poll', ['pollId'])
@Index('ux_poll_ballot_receipt', ['receipt'], { unique: true })
export class PollBallotEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_poll_ballot' })
  id!: string;

  @Column({ type: 'uuid' })
  pollId!: string;

  @Column({ type: 'text' })
  choice!: string;

  @Column({ type: 'text' })
  receipt!: string;
}

/**
 * The last `poll.tally` published for an open poll, on whichever node wrote it: the elected
 * writer of the next one (under the poll's advisory lock) compares with it, so every node's
 * tablets see one monotonic sequence, at most one per TALLY_INTERVAL_MS.
 */
@Entity({ name: 'poll_tally' })
export class PollTallyEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_poll_tally' })
  pollId!: string;

  @Column({ type: 'int' })
  voted!: number;

  @Column({ type: 'int' })
  entitled!: number;

  @Column({ type: 'timestamptz' })
  talliedAt!: Date;
}
