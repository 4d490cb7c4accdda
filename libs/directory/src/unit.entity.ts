import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { UnitKind } from '@liexi/contracts';

/** 承办单位: a department or town that handles task items. */
@Entity({ name: 'unit' })
@Index('ux_unit_name', ['name'], { unique: true })
export class UnitEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_unit' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', default: 'department' })
  kind!: UnitKind;

  /** 一把手: the unit head's name (the head's account, when any, has role unit_handler). */
  @Column({ type: 'text', nullable: true })
  headName!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
