import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { PolicyQuota } from './meetings.views';

/** 邀请规则: for agenda items of a category (and optionally a topic), whom to invite and how many. */
@Entity({ name: 'invitation_policy' })
@Index('ix_invitation_policy_category', ['category', 'topic'])
export class InvitationPolicyEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_invitation_policy' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  category!: string;

  /** Null: every item of the category; otherwise only items carrying this topic. */
  @Column({ type: 'text', nullable: true })
  topic!: string | null;

  @Column({ type: 'jsonb' })
  quotas!: PolicyQuota[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  preferredSectors!: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  preferredDistricts!: string[];

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
