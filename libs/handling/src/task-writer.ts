import { Injectable } from '@nestjs/common';
import { SUPERVISION_STREAM, unitStream } from '@liexi/contracts';
import { type Actor, AuditService, conflict, Db, DomainException, EventLogService } from '@liexi/platform';
import { TaskItemEntity } from './task-item.entity';
import { TaskCooperatingUnitEntity } from './task-links.entity';
import { allowedTaskActions, type TaskAction, taskTarget } from './task-workflow';

/**
 * The one way a task item changes: a guarded state move or a recorded change, each with its
 * audit row and a `task.changed` event on the `supervision` stream and the streams of the lead
 * and cooperating units — all in the caller's transaction. Streams are appended in sorted
 * order so concurrent transactions lock them in the same order (no deadlocks).
 */
@Injectable()
export class TaskWriter {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly events: EventLogService,
  ) {}

  /** `UPDATE … WHERE state = :from`: of two racing actors exactly one wins; the other gets CONFLICT. */
  async move(
    actor: Actor | null,
    item: TaskItemEntity,
    action: TaskAction,
    changes: Partial<TaskItemEntity> = {},
  ): Promise<void> {
    const to = taskTarget(item.state, action);
    if (to === null) this.invalidTransition(item, action);
    const res = await this.db.manager
      .createQueryBuilder()
      .update(TaskItemEntity)
      .set({ ...changes, state: to })
      .where('id = :id AND state = :from', { id: item.id, from: item.state })
      .execute();
    if (res.affected !== 1) throw conflict(`task item ${item.id} changed while you were acting on it`);
    const before: Record<string, unknown> = { state: item.state };
    for (const key of Object.keys(changes)) before[key] = item[key as keyof TaskItemEntity];
    await this.audit.record(actor, {
      action: `task.${action}`,
      entityType: 'task_item',
      entityId: item.id,
      before,
      after: { ...changes, state: to },
    });
    item.state = to;
    Object.assign(item, changes);
    await this.announce(item, action);
  }

  /** A change that is not a state move (progress, opinion, deadline …): audit row + event. */
  async record(
    actor: Actor | null,
    item: TaskItemEntity,
    action: string,
    before: object | null,
    after: object | null,
  ): Promise<void> {
    await this.audit.record(actor, {
      action: `task.${action}`,
      entityType: 'task_item',
      entityId: item.id,
      before,
      after,
    });
    await this.announce(item, action);
  }

  /** `task.changed` on `supervision`, `unit:<lead>` and `unit:<cooperating>` (after commit). */
  async announce(item: TaskItemEntity, action: string): Promise<void> {
    const coop = await this.db.manager.find(TaskCooperatingUnitEntity, { where: { taskItemId: item.id } });
    const cooperatingUnitIds = coop.map((c) => c.unitId).sort();
    const data = {
      taskId: item.id,
      action,
      state: item.state,
      leadUnitId: item.leadUnitId,
      cooperatingUnitIds,
      deadline: item.deadline,
      reopenCount: item.reopenCount,
    };
    const streams = [
      SUPERVISION_STREAM,
      ...[...new Set([item.leadUnitId, ...cooperatingUnitIds])].map(unitStream),
    ].sort();
    for (const stream of streams) await this.events.append(stream, 'task.changed', data);
  }

  invalidTransition(item: TaskItemEntity, action: string, detail?: string): never {
    throw new DomainException(
      'INVALID_TRANSITION',
      detail ?? `cannot ${action} a task item that is ${item.state}`,
      { allowed: allowedTaskActions(item.state) },
    );
  }
}
