import { Injectable } from '@nestjs/common';
import { type TaskChangedEvent, unitStream } from '@liexi/contracts';
import {
  type Actor,
  AuditService,
  Clock,
  conflict,
  Db,
  DomainException,
  EventLogService,
  type NewEvent,
} from '@liexi/platform';
import { In } from 'typeorm';
import { TaskFigureFacts } from './task-figure-facts';
import { TaskItemEntity } from './task-item.entity';
import { TaskCooperatingUnitEntity } from './task-links.entity';
import { allowedTaskActions, type TaskAction, taskTarget } from './task-workflow';

/** A change that is not a state move, as the audit log and the unit streams record it. */
export interface TaskChange {
  item: TaskItemEntity;
  action: string;
  before: object | null;
  after: object | null;
}

/**
 * The one way a task item changes: a guarded state move or a recorded change, each with its
 * audit row and a `task.changed` event on the streams of the lead and cooperating units — all
 * in the caller's transaction. There is no stream every write appends to: a write locks only
 * the stream rows of the units its item concerns.
 *
 * Lock order, so that concurrent transactions never wait on each other crosswise: first the
 * changed items' rows (their `version`), one at a time in id order; then each stream once, in
 * sorted order (`recordMany` gathers a whole batch of changes before it appends anything).
 */
@Injectable()
export class TaskWriter {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly events: EventLogService,
    private readonly facts: TaskFigureFacts,
    private readonly clock: Clock,
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
    // 交办: the first assignment is when the figures' period counts the item from.
    if (action === 'assign' && !item.assignedAt) changes = { ...changes, assignedAt: this.clock.now() };
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
    await this.announce([{ item, action }]);
  }

  /** A change that is not a state move (progress, opinion, deadline …): audit row + event. */
  async record(
    actor: Actor | null,
    item: TaskItemEntity,
    action: string,
    before: object | null,
    after: object | null,
  ): Promise<void> {
    await this.recordMany(actor, [{ item, action, before, after }]);
  }

  /** Several changes (e.g. a chunk of the daily scan): audit rows in one statement, events in lock order. */
  async recordMany(actor: Actor | null, changes: TaskChange[]): Promise<void> {
    if (changes.length === 0) return;
    await this.audit.recordMany(
      changes.map((c) => ({
        actor,
        action: `task.${c.action}`,
        entityType: 'task_item',
        entityId: c.item.id,
        before: c.before,
        after: c.after,
      })),
    );
    await this.announce(changes);
  }

  /**
   * `task.changed` on `unit:<lead>` and `unit:<cooperating>` of each item (published after
   * commit), and the items' figure facts re-derived from their records.
   */
  async announce(changes: { item: TaskItemEntity; action: string }[]): Promise<void> {
    if (changes.length === 0) return;
    const versions = await this.raiseVersions(changes.map((c) => c.item));
    const ids = [...new Set(changes.map((c) => c.item.id))];
    await this.facts.refresh(ids);
    const coop = await this.db.manager.find(TaskCooperatingUnitEntity, { where: { taskItemId: In(ids) } });
    const byStream = new Map<string, NewEvent<'task.changed'>[]>();
    changes.forEach(({ item, action }, i) => {
      const cooperatingUnitIds = coop
        .filter((c) => c.taskItemId === item.id)
        .map((c) => c.unitId)
        .sort();
      const data: TaskChangedEvent = {
        taskId: item.id,
        action,
        state: item.state,
        leadUnitId: item.leadUnitId,
        cooperatingUnitIds,
        deadline: item.deadline,
        reopenCount: item.reopenCount,
        version: versions[i],
      };
      for (const unitId of new Set([item.leadUnitId, ...cooperatingUnitIds])) {
        const stream = unitStream(unitId);
        byStream.set(stream, [...(byStream.get(stream) ?? []), { type: 'task.changed', data }]);
      }
    });
    for (const stream of [...byStream.keys()].sort()) {
      await this.events.appendMany(stream, byStream.get(stream) ?? []);
    }
  }

  invalidTransition(item: TaskItemEntity, action: string, detail?: string): never {
    throw new DomainException(
      'INVALID_TRANSITION',
      detail ?? `cannot ${action} a task item that is ${item.state}`,
      { allowed: allowedTaskActions(item.state) },
    );
  }

  /**
   * Raises each item's change counter once per change (rows locked one at a time, in id
   * order) and returns the version of every change, in the order given.
   */
  private async raiseVersions(items: TaskItemEntity[]): Promise<number[]> {
    const counts = new Map<string, number>();
    for (const item of items) counts.set(item.id, (counts.get(item.id) ?? 0) + 1);
    const last = new Map<string, number>();
    for (const id of [...counts.keys()].sort()) {
      const rows = await this.db.query<{ version: number }>(
        // As a SELECT: TypeORM answers a bare UPDATE with [rows, count], not the rows.
        'WITH raised AS (UPDATE task_item SET version = version + $2 WHERE id = $1 RETURNING version) SELECT version FROM raised',
        [id, counts.get(id)],
      );
      const version = rows[0]?.version;
      if (version === undefined) throw conflict(`task item ${id} is gone`);
      last.set(id, version);
    }
    // The n changes of one item get the n versions up to its new one, in the order given.
    const seen = new Map<string, number>();
    return items.map((item) => {
      const k = seen.get(item.id) ?? 0;
      seen.set(item.id, k + 1);
      const version = (last.get(item.id) as number) - (counts.get(item.id) as number) + 1 + k;
      item.version = version;
      return version;
    });
  }
}
