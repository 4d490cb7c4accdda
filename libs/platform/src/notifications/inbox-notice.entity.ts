import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A notice delivered to one account's inbox (a unit's notice reaches each of its handlers). */
@Entity({ name: 'inbox_notice' })
@Index('ux_inbox_notice_delivery', ['notificationId', 'accountId'], { unique: true })
@Index('ix_inbox_notice_account', ['accountId', 'createdAt', 'id'])
@Index('ix_inbox_notice_unread', ['accountId', 'createdAt', 'id'], { where: 'read_at IS NULL' })
export class InboxNoticeEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_inbox_notice' })
  id!: string;

  @Column({ type: 'uuid' })
  accountId!: string;

  @Column({ type: 'uuid' })
  notificationId!: string;

  @Column({ type: 'text' })
  topic!: string;

  @Column({ type: 'text' })
  textZh!: string;

  @Column({ type: 'text' })
  textEn!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  readAt!: Date | null;
}
