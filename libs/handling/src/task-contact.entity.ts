import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** How a unit was in touch with the proposers: visit, meeting and site count as face to face (见面). */
export const CONTACT_KINDS = ['visit', 'meeting', 'site', 'phone', 'online'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];
export const FACE_TO_FACE: readonly ContactKind[] = ['visit', 'meeting', 'site'];

/** 办前联系、办中征求、办后回访: a contact with the proposers during handling. */
@Entity({ name: 'task_contact' })
@Index('ix_task_contact_task', ['taskItemId', 'createdAt'])
export class TaskContactEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_task_contact' })
  id!: string;

  @Column({ type: 'uuid' })
  taskItemId!: string;

  @Column({ type: 'text' })
  kind!: ContactKind;

  @Column({ type: 'date' })
  contactedOn!: string;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ type: 'uuid' })
  recordedBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
