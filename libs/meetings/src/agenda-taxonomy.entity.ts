import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { TaxonomyKind } from '@liexi/contracts';

/** The configurable agenda taxonomy: categories (事项类别) and topics (领域), with zh/en labels. */
@Entity({ name: 'agenda_taxonomy' })
@Index('ux_agenda_taxonomy_kind_code', ['kind', 'code'], { unique: true })
export class AgendaTaxonomyEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_agenda_taxonomy' })
  id!: string;

  @Column({ type: 'text' })
  kind!: TaxonomyKind;

  @Column({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  labelZh!: string;

  @Column({ type: 'text' })
  labelEn!: string;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
