import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '@liexi/contracts';

@Entity({ name: 'account' })
@Index('ux_account_username', ['username'], { unique: true })
export class AccountEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_account' })
  id!: string;

  @Column({ type: 'text' })
  username!: string;

  @Column({ type: 'text' })
  passwordHash!: string;

  @Column({ type: 'text' })
  role!: Role;

  @Column({ type: 'text' })
  displayName!: string;

  /** Unit handlers act for this unit. */
  @Column({ type: 'uuid', nullable: true })
  unitId!: string | null;

  /** 一把手: the head of `unitId`, who signs the unit's replies. */
  @Column({ type: 'boolean', default: false })
  unitHead!: boolean;

  /** Attendees are this participant. */
  @Column({ type: 'uuid', nullable: true })
  participantId!: string | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
