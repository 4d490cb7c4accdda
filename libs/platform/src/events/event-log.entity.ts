import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One event of a stream (`meeting:<id>`, `unit:<id>`, `supervision`); (stream, seq) has no gaps. */
@Entity({ name: 'event_log' })
export class EventLogEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_event_log' })
  stream!: string;

  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'pk_event_log' })
  seq!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;

  @Column({ type: 'jsonb' })
  data!: Record<string, unknown>;
}

/** The last sequence number of each stream; its row lock orders concurrent appenders. */
@Entity({ name: 'event_stream' })
export class EventStreamEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_event_stream' })
  stream!: string;

  @Column({ type: 'bigint' })
  lastSeq!: string;
}
