import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DirectoryService } from '@liexi/directory';
import { MeetingsService } from '@liexi/meetings';
import { type Actor, Db, forbidden, notFound } from '@liexi/platform';
import { TaskItemEntity } from './task-item.entity';
import { TaskCooperatingUnitEntity, TaskProposerEntity } from './task-links.entity';
import { TaskWriter } from './task-writer';
import { replyLevel, TASK_ACTION_ROLES, type TaskAction, taskTarget } from './task-workflow';

/** Roles that see every item. */
export const OVERSEERS: ReadonlySet<string> = new Set(['secretariat', 'leader', 'supervisor']);

/**
 * Who may see and act on an item: overseers see all, a unit its lead and cooperating items, an
 * attendee the items they proposed. Reads go through the unit of work (inside a transaction,
 * on its connection).
 */
@Injectable()
export class TaskAccessService implements OnModuleInit {
  constructor(
    private readonly db: Db,
    private readonly writer: TaskWriter,
    private readonly directory: DirectoryService,
    private readonly meetings: MeetingsService,
  ) {}

  /** A meeting concerns the units that lead or cooperate on its items: their handlers may follow it. */
  onModuleInit(): void {
    this.meetings.addUnitConcern(async (pairs) => {
      const rows: { meeting_id: string; unit_id: string }[] = await this.db.query(
        `SELECT DISTINCT t.meeting_id, u.unit_id
         FROM task_item t
         CROSS JOIN LATERAL (
           SELECT t.lead_unit_id AS unit_id
           UNION SELECT c.unit_id FROM task_cooperating_unit c WHERE c.task_item_id = t.id
         ) u
         WHERE t.meeting_id = ANY($1::uuid[]) AND u.unit_id = ANY($2::uuid[])`,
        [[...new Set(pairs.map((p) => p.meetingId))], [...new Set(pairs.map((p) => p.unitId))]],
      );
      return new Set(rows.map((r) => `${r.meeting_id}|${r.unit_id}`));
    });
  }

  async canSee(actor: Actor, item: TaskItemEntity): Promise<boolean> {
    if (OVERSEERS.has(actor.role)) return true;
    if (actor.role === 'unit_handler') {
      if (item.leadUnitId === actor.unitId) return true;
      return (
        (await this.db.manager.count(TaskCooperatingUnitEntity, {
          where: { taskItemId: item.id, unitId: actor.unitId ?? '' },
        })) > 0
      );
    }
    if (actor.role === 'attendee') {
      return (
        (await this.db.manager.count(TaskProposerEntity, {
          where: { taskItemId: item.id, participantId: actor.participantId ?? '' },
        })) > 0
      );
    }
    return false;
  }

  /** The item, if the actor may see it (NOT_FOUND otherwise, so its existence is not revealed). */
  async visibleItem(actor: Actor, id: string): Promise<TaskItemEntity> {
    const item = await this.db.manager.findOne(TaskItemEntity, { where: { id } });
    if (!item || !(await this.canSee(actor, item))) throw notFound('task item', id);
    return item;
  }

  /** Visible, the actor's role may take the action here, and the table allows it from this state. */
  async actionableItem(actor: Actor, id: string, action: TaskAction): Promise<TaskItemEntity> {
    const item = await this.visibleItem(actor, id);
    if (!TASK_ACTION_ROLES[action].includes(actor.role))
      throw forbidden(`role ${actor.role} may not ${action}`);
    if (actor.role === 'unit_handler' && actor.unitId !== item.leadUnitId) {
      throw forbidden('only the lead unit handles this step');
    }
    if (taskTarget(item.state, action) === null) this.writer.invalidTransition(item, action);
    const level = action === 'send_back_reply' || action === 'sign_reply' ? replyLevel(item.state) : null;
    if (level && level.role !== actor.role) {
      throw forbidden(`at this level (${level.level}) only the ${level.role} acts on the reply`);
    }
    if (level?.unitHead && !(await this.directory.isUnitHead(actor.accountId, item.leadUnitId))) {
      throw forbidden('only the head of the lead unit signs the reply');
    }
    return item;
  }

  /** One workflow step in a transaction: the checks, the step's own work, then the guarded move. */
  async step(
    actor: Actor,
    id: string,
    action: TaskAction,
    work?: (item: TaskItemEntity) => Promise<Partial<TaskItemEntity>>,
  ): Promise<void> {
    await this.db.transaction(async () => {
      const item = await this.actionableItem(actor, id, action);
      const changes = (await work?.(item)) ?? {};
      await this.writer.move(actor, item, action, changes);
    });
  }
}
