import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Tokens that no longer work before they expire: one signed-out token (`kind = 'token'`,
 * `subject_id` its jti, forgotten after `expires_at`), or every token of an account or a
 * participant issued before `not_before` (deactivation; `inactive` while it lasts: then every
 * token of the subject is refused). `subject_id` refers to a token, an account or a
 * participant by kind, so it has no foreign key (like `audit_log.entity_id`).
 */
@Entity({ name: 'token_revocation' })
@Index('ux_token_revocation_subject', ['kind', 'subjectId'], { unique: true })
@Check('ck_token_revocation_kind', `kind IN ('token', 'account', 'participant')`)
export class TokenRevocationEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_token_revocation' })
  id!: string;

  @Column({ type: 'text' })
  kind!: 'token' | 'account' | 'participant';

  @Column({ type: 'uuid' })
  subjectId!: string;

  @Column({ type: 'timestamptz', nullable: true })
  notBefore!: Date | null;

  @Column({ type: 'boolean', default: false })
  inactive!: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
