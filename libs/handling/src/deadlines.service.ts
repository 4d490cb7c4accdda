import { Injectable } from '@nestjs/common';
import { type Actor, conflict, Db, forbidden, invalid } from '@liexi/platform';
import type { DecideExtensionDto, NewDeadlineDto } from './handling.dto';
import { TaskDeadlineChangeEntity } from './supervision.entity';
import { TaskAccessService } from './task-access.service';
import { TaskItemEntity } from './task-item.entity';
import type { TaskItemView } from './task-item.view';
import { TaskNoticesService } from './task-notices.service';
import { TaskQueriesService } from './task-queries.service';
import { TaskWriter } from './task-writer';
import { HANDLING_STATES } from './task-workflow';

/** 时限: extensions asked by the lead unit and decided by the secretariat, deadlines set by the secretariat, and their history. */
@Injectable()
export class DeadlinesService {
  constructor(
    private readonly db: Db,
    private readonly access: TaskAccessService,
    private readonly queries: TaskQueriesService,
    private readonly writer: TaskWriter,
    private readonly notices: TaskNoticesService,
  ) {}

  /** The lead unit asks for more time (one pending request at a time). */
  async requestExtension(actor: Actor, id: string, dto: NewDeadlineDto): Promise<TaskItemView> {
    await this.db.transaction(async () => {
      const item = await this.access.visibleItem(actor, id);
      if (actor.role !== 'unit_handler' || actor.unitId !== item.leadUnitId)
        throw forbidden('only the lead unit asks for an extension');
      if (!HANDLING_STATES.includes(item.state) || item.state === 'returned')
        this.writer.invalidTransition(item, 'request_extension');
      if (dto.deadline <= item.deadline)
        throw invalid('an extension must move the deadline later', {
          deadline: ['must be after the deadline'],
        });
      const res = await this.db.query(
        `INSERT INTO task_deadline_change (task_item_id, kind, previous_deadline, requested_deadline, reason, status, requested_by)
         VALUES ($1, 'extension', $2, $3, $4, 'pending', $5) ON CONFLICT DO NOTHING RETURNING id`,
        [id, item.deadline, dto.deadline, dto.reason, actor.accountId],
      );
      if (res.length === 0) throw conflict('an extension request is already pending');
      await this.writer.record(actor, item, 'extension_requested', { deadline: item.deadline }, dto);
    });
    return this.queries.get(actor, id);
  }

  /** The secretariat approves (the deadline moves) or rejects; the history stays. */
  async decideExtension(
    actor: Actor,
    id: string,
    changeId: string,
    dto: DecideExtensionDto,
  ): Promise<TaskItemView> {
    await this.db.transaction(async () => {
      const item = await this.access.visibleItem(actor, id);
      const status = dto.approve ? 'approved' : 'rejected';
      const res = await this.db.manager
        .createQueryBuilder()
        .update(TaskDeadlineChangeEntity)
        .set({
          status,
          decidedBy: actor.accountId,
          decidedAt: new Date(),
          decisionComment: dto.comment ?? null,
        })
        .where("id = :changeId AND task_item_id = :id AND status = 'pending'", { changeId, id })
        .returning('*')
        .execute();
      const change = (res.raw as { requested_deadline: string }[])[0];
      if (!change) throw conflict('no pending extension request with that id');
      const before = { deadline: item.deadline };
      if (dto.approve) {
        await this.db.manager.update(TaskItemEntity, { id }, { deadline: change.requested_deadline });
        item.deadline = change.requested_deadline;
      }
      await this.writer.record(actor, item, `extension_${status}`, before, {
        deadline: item.deadline,
        comment: dto.comment ?? null,
      });
      await this.notices.notifySupervision(
        item,
        `task.extension_${status}`,
        dto.approve
          ? {
              zh: `延期申请已批准，新时限 ${item.deadline}。`,
              en: `Extension approved: the new deadline is ${item.deadline}.`,
            }
          : {
              zh: `延期申请未获批准，时限仍为 ${item.deadline}。`,
              en: `Extension rejected: the deadline stays ${item.deadline}.`,
            },
        `task.extension:${changeId}`,
      );
    });
    return this.queries.get(actor, id);
  }

  /** The secretariat sets a deadline (e.g. for the second handling of a reopened item). */
  async setDeadline(actor: Actor, id: string, dto: NewDeadlineDto): Promise<TaskItemView> {
    await this.db.transaction(async () => {
      const item = await this.access.visibleItem(actor, id);
      if (item.state === 'closed' || item.state === 'draft')
        this.writer.invalidTransition(item, 'set_deadline');
      await this.recordSet(actor, item, dto.deadline, dto.reason);
      const before = { deadline: item.deadline, deadlinePending: item.deadlinePending };
      await this.db.manager.update(
        TaskItemEntity,
        { id },
        { deadline: dto.deadline, deadlinePending: false },
      );
      Object.assign(item, { deadline: dto.deadline, deadlinePending: false });
      await this.writer.record(actor, item, 'deadline_set', before, { ...dto, deadlinePending: false });
    });
    return this.queries.get(actor, id);
  }

  /** The history row of a deadline set by the secretariat (the caller moves the item's deadline). */
  async recordSet(
    actor: Actor,
    item: { id: string; deadline: string },
    deadline: string,
    reason: string,
  ): Promise<void> {
    await this.db.manager.insert(TaskDeadlineChangeEntity, {
      taskItemId: item.id,
      kind: 'set',
      previousDeadline: item.deadline,
      requestedDeadline: deadline,
      reason,
      status: 'approved',
      requestedBy: actor.accountId,
      decidedBy: actor.accountId,
      decidedAt: new Date(),
    });
  }
}
