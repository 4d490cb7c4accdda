import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { AgendaItemState } from '@liexi/contracts';
import type { AgendaAttachment } from './meetings.views';

/** 议题: an item on a meeting's agenda, with the category that decides whom to invite. */
@Entity({ name: 'agenda_item' })
@Index('ix_agenda_item_meeting', ['meetingId', 'position'])
export class AgendaItemEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_agenda_item' })
  id!: string;

  @Column({ type: 'uuid' })
  meetingId!: string;

  @Column({ type: 'int' })
  position!: number;

  @Column({ type: 'text' })
  title!: string;

  /** `key_work`, `major_matter`, `important_document`, or a configured category. */
  @Column({ type: 'text' })
  category!: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  topics!: string[];

  @Column({ type: 'text', default: 'pending' })
  state!: AgendaItemState;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  attachments!: AgendaAttachment[];
}
