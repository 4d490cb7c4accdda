import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const NOTIFICATION_CHANNELS = ['sms', 'email', 'inbox'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];
export type NotificationStatus = 'pending' | 'sent' | 'failed';

/**
 * The notification outbox: written in the same transaction as the change it announces, sent
 * afterwards by the dispatcher through a NotificationSender (SMS / e-mail gateways live outside
 * the system). Both languages are stored so the sender can pick the recipient's.
 */
@Entity({ name: 'notification' })
@Index('ix_notification_pending', ['status', 'notBefore'])
@Index('ix_notification_recipient', ['recipientType', 'recipientId'])
@Index('ux_notification_dedupe', ['dedupeKey'], { unique: true })
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_notification' })
  id!: string;

  @Column({ type: 'text' })
  channel!: NotificationChannel;

  /** `participant`, `account` or `unit`. */
  @Column({ type: 'text' })
  recipientType!: string;

  @Column({ type: 'uuid' })
  recipientId!: string;

  /** Phone number or address, when known; null for inbox notices. */
  @Column({ type: 'text', nullable: true })
  address!: string | null;

  /** What kind of notice, e.g. `invitation.changed`, `task.overdue`. */
  @Column({ type: 'text' })
  topic!: string;

  @Column({ type: 'text' })
  textZh!: string;

  @Column({ type: 'text' })
  textEn!: string;

  /** Identifies the change announced, so one change is never announced twice. */
  @Column({ type: 'text', nullable: true })
  dedupeKey!: string | null;

  @Column({ type: 'text', default: 'pending' })
  status!: NotificationStatus;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  notBefore!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
