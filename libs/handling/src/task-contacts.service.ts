import { Injectable } from '@nestjs/common';
import { type Actor, Db, decodeCursor, forbidden, type Page, pageOf } from '@liexi/platform';
import type { ContactDto } from './task-extras.dto';
import { TaskAccessService } from './task-access.service';
import { type ContactKind, TaskContactEntity } from './task-contact.entity';
import { TaskWriter } from './task-writer';

export interface TaskContactView {
  id: string;
  kind: ContactKind;
  contactedOn: string;
  note: string | null;
  recordedAt: string;
}

const view = (c: TaskContactEntity): TaskContactView => ({
  id: c.id,
  kind: c.kind,
  contactedOn: c.contactedOn,
  note: c.note,
  recordedAt: c.createdAt.toISOString(),
});

/** 办前联系、办中征求、办后回访: contacts with the proposers, the records behind 见面率. */
@Injectable()
export class TaskContactsService {
  constructor(
    private readonly db: Db,
    private readonly access: TaskAccessService,
    private readonly writer: TaskWriter,
  ) {}

  /** The lead unit (or the secretariat) records a contact; audited, announced, counted. */
  async record(actor: Actor, id: string, dto: ContactDto): Promise<TaskContactView> {
    return this.db.transaction(async () => {
      const item = await this.access.visibleItem(actor, id);
      if (actor.role === 'unit_handler' ? actor.unitId !== item.leadUnitId : actor.role !== 'secretariat')
        throw forbidden('only the lead unit or the secretariat records contacts with the proposers');
      if (item.state === 'draft') this.writer.invalidTransition(item, 'record_contact');
      const saved = await this.db.manager.save(
        this.db.manager.create(TaskContactEntity, {
          taskItemId: id,
          kind: dto.kind,
          contactedOn: dto.contactedOn,
          note: dto.note ?? null,
          recordedBy: actor.accountId,
        }),
      );
      await this.writer.record(actor, item, 'contact', null, {
        kind: dto.kind,
        contactedOn: dto.contactedOn,
        note: dto.note ?? null,
      });
      return view(saved);
    });
  }

  async list(actor: Actor, id: string, limit: number, cursor?: string): Promise<Page<TaskContactView>> {
    await this.access.visibleItem(actor, id);
    const after = decodeCursor(cursor, 2);
    const qb = this.db.manager
      .createQueryBuilder(TaskContactEntity, 'c')
      .where('c.task_item_id = :id', { id })
      .orderBy('c.created_at', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .limit(limit + 1);
    if (after) qb.andWhere('(c.created_at, c.id) > (:at, :cid)', { at: after[0], cid: after[1] });
    const page = pageOf(await qb.getMany(), limit, (c) => [c.createdAt.toISOString(), c.id]);
    return { items: page.items.map(view), nextCursor: page.nextCursor };
  }
}
