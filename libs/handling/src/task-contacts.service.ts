import { Injectable } from '@nestjs/common';
import { type Actor, Db, forbidden, keysetPage, mapPage, type Page } from '@liexi/platform';
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
    const qb = this.db.manager
      .createQueryBuilder(TaskContactEntity, 'c')
      .where('c.task_item_id = :id', { id });
    const order = { column: 'c.created_at', type: 'timestamptz', id: 'c.id' } as const;
    return mapPage(await keysetPage(qb, order, { limit, cursor }), view);
  }
}
