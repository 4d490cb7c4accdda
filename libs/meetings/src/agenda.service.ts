import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type Actor, AuditService, Db, DomainException, invalid, notFound } from '@liexi/platform';
import { AgendaItemEntity } from './agenda-item.entity';
import { AgendaTaxonomyService } from './agenda-taxonomy.service';
import { MeetingRecords } from './meeting-records';
import { isMeetingEditable } from './meeting-status';
import type { CreateAgendaItemDto } from './meetings.dto';
import { toAgendaItemView } from './meetings.mapping';
import type { AgendaAttachment, AgendaItemView } from './meetings.views';
import type { AddAttachmentDto, UpdateAgendaItemDto } from './planning.dto';

/** 议题: a meeting's agenda items, their order and their attachments (links). */
@Injectable()
export class AgendaService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly taxonomy: AgendaTaxonomyService,
    private readonly records: MeetingRecords,
  ) {}

  /** The meeting's agenda in order. */
  async list(meetingId: string): Promise<AgendaItemView[]> {
    return (await this.records.agenda(meetingId)).map(toAgendaItemView);
  }

  /** The agenda item must belong to the meeting; throws VALIDATION naming `field` otherwise. */
  async requireItem(meetingId: string, agendaItemId: string, field: string): Promise<AgendaItemView> {
    const item = await this.db.manager.findOne(AgendaItemEntity, { where: { id: agendaItemId, meetingId } });
    if (!item)
      throw invalid(`agenda item ${agendaItemId} is not on meeting ${meetingId}`, {
        [field]: ['not an item of this meeting'],
      });
    return toAgendaItemView(item);
  }

  async add(actor: Actor, meetingId: string, dto: CreateAgendaItemDto): Promise<AgendaItemView> {
    await this.validateTerms(dto, '');
    return this.db.transaction(async () => {
      const meeting = await this.records.lock(meetingId);
      if (!isMeetingEditable(meeting.status))
        throw new DomainException('INVALID_TRANSITION', `a ${meeting.status} meeting cannot be edited`);
      const rows: { max: number | null }[] = await this.db.manager.query(
        'SELECT max(position) AS max FROM agenda_item WHERE meeting_id = $1',
        [meetingId],
      );
      const item = await this.insert(meetingId, (rows[0]?.max ?? 0) + 1, dto);
      await this.audit.record(actor, {
        action: 'agenda_item.created',
        entityType: 'agenda_item',
        entityId: item.id,
        after: item,
      });
      return item;
    });
  }

  async update(
    actor: Actor,
    meetingId: string,
    itemId: string,
    dto: UpdateAgendaItemDto,
  ): Promise<AgendaItemView> {
    return this.db.transaction(async () => {
      if (dto.category !== undefined)
        await this.taxonomy.requireTerms('category', [dto.category], 'category');
      if (dto.topics !== undefined) await this.taxonomy.requireTerms('topic', dto.topics, 'topics');
      await this.records.lockEditable(meetingId);
      const item = await this.itemIn(meetingId, itemId);
      const before = toAgendaItemView(item);
      Object.assign(item, {
        title: dto.title ?? item.title,
        category: dto.category ?? item.category,
        topics: dto.topics ?? item.topics,
        state: dto.state ?? item.state,
      });
      await this.db.manager.update(
        AgendaItemEntity,
        { id: itemId },
        { title: item.title, category: item.category, topics: item.topics, state: item.state },
      );
      const after = toAgendaItemView(item);
      await this.audit.record(actor, {
        action: 'agenda_item.updated',
        entityType: 'agenda_item',
        entityId: itemId,
        before,
        after,
      });
      return after;
    });
  }

  /** Removes the item and closes the gap in the positions; answers the remaining agenda. */
  async remove(actor: Actor, meetingId: string, itemId: string): Promise<AgendaItemView[]> {
    return this.db.transaction(async () => {
      await this.records.lockEditable(meetingId);
      const item = await this.itemIn(meetingId, itemId);
      await this.db.manager.delete(AgendaItemEntity, { id: itemId });
      const rest = await this.records.agenda(meetingId);
      await this.writePositions(rest.map((r) => r.id));
      await this.audit.record(actor, {
        action: 'agenda_item.removed',
        entityType: 'agenda_item',
        entityId: itemId,
        before: toAgendaItemView(item),
      });
      return this.list(meetingId);
    });
  }

  /** Rewrites every position at once; the ids must be exactly the meeting's items. */
  async reorder(actor: Actor, meetingId: string, itemIds: string[]): Promise<AgendaItemView[]> {
    return this.db.transaction(async () => {
      await this.records.lockEditable(meetingId);
      const current = await this.records.agenda(meetingId);
      const have = new Set(current.map((c) => c.id));
      if (
        new Set(itemIds).size !== itemIds.length ||
        itemIds.length !== have.size ||
        !itemIds.every((i) => have.has(i))
      )
        throw invalid('itemIds must list every item of the meeting exactly once', {
          itemIds: ['must be a permutation of the meeting’s agenda item ids'],
        });
      await this.writePositions(itemIds);
      await this.audit.record(actor, {
        action: 'agenda.reordered',
        entityType: 'meeting',
        entityId: meetingId,
        before: { order: current.map((c) => c.id) },
        after: { order: itemIds },
      });
      return this.list(meetingId);
    });
  }

  async addAttachment(
    actor: Actor,
    meetingId: string,
    itemId: string,
    dto: AddAttachmentDto,
  ): Promise<AgendaItemView> {
    return this.db.transaction(async () => {
      await this.records.lockEditable(meetingId);
      const item = await this.itemIn(meetingId, itemId);
      const attachment: AgendaAttachment = { id: randomUUID(), title: dto.title, url: dto.url };
      if (item.attachments.length >= 50) throw invalid('at most 50 attachments per item');
      item.attachments = [...item.attachments, attachment];
      await this.db.manager.update(AgendaItemEntity, { id: itemId }, { attachments: item.attachments });
      await this.audit.record(actor, {
        action: 'agenda_item.attachment_added',
        entityType: 'agenda_item',
        entityId: itemId,
        after: attachment,
      });
      return toAgendaItemView(item);
    });
  }

  async removeAttachment(
    actor: Actor,
    meetingId: string,
    itemId: string,
    attachmentId: string,
  ): Promise<AgendaItemView> {
    return this.db.transaction(async () => {
      await this.records.lockEditable(meetingId);
      const item = await this.itemIn(meetingId, itemId);
      const gone = item.attachments.find((a) => a.id === attachmentId);
      if (!gone) throw notFound('attachment', attachmentId);
      item.attachments = item.attachments.filter((a) => a.id !== attachmentId);
      await this.db.manager.update(AgendaItemEntity, { id: itemId }, { attachments: item.attachments });
      await this.audit.record(actor, {
        action: 'agenda_item.attachment_removed',
        entityType: 'agenda_item',
        entityId: itemId,
        before: gone,
      });
      return toAgendaItemView(item);
    });
  }

  /** The category and topics must be active taxonomy terms (VALIDATION under `prefix`). */
  async validateTerms(item: CreateAgendaItemDto, prefix: string): Promise<void> {
    const p = prefix ? `${prefix}.` : '';
    await this.taxonomy.requireTerms('category', [item.category], `${p}category`);
    await this.taxonomy.requireTerms('topic', item.topics ?? [], `${p}topics`);
  }

  /** Inserts a pending item at `position`, in the running transaction (the caller locked the meeting). */
  async insert(meetingId: string, position: number, dto: CreateAgendaItemDto): Promise<AgendaItemView> {
    const item = await this.db.manager.save(
      this.db.manager.create(AgendaItemEntity, {
        meetingId,
        position,
        title: dto.title,
        category: dto.category,
        topics: dto.topics ?? [],
        state: 'pending',
      }),
    );
    return toAgendaItemView(item);
  }

  private async itemIn(meetingId: string, itemId: string): Promise<AgendaItemEntity> {
    const item = await this.db.manager.findOne(AgendaItemEntity, { where: { id: itemId, meetingId } });
    if (!item) throw notFound('agenda item', itemId);
    return item;
  }

  /** Positions 1..n in one statement. */
  private async writePositions(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.manager.query(
      `UPDATE agenda_item a SET position = o.ord
       FROM unnest($1::uuid[]) WITH ORDINALITY AS o(id, ord) WHERE a.id = o.id`,
      [ids],
    );
  }
}
