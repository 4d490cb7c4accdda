import { Injectable } from '@nestjs/common';
import type { TaskState } from '@liexi/contracts';
import { DirectoryService } from '@liexi/directory';
import { MeetingsService } from '@liexi/meetings';
import { type Actor, Db, decodeCursor, notFound, type Page, pageOf } from '@liexi/platform';
import { Brackets, In, Repository } from 'typeorm';
import { OVERSEERS, TaskAccessService } from './task-access.service';
import { TaskItemEntity } from './task-item.entity';
import type { MeetingTaskList, PublicTaskView, TaskItemView } from './task-item.view';
import { TaskReplyEntity } from './task-links.entity';
import { TaskViewsService } from './task-views.service';

/** Reading items: lists by role, one item, a meeting's list, the public list and the ledger's items. */
@Injectable()
export class TaskQueriesService {
  constructor(
    private readonly db: Db,
    private readonly access: TaskAccessService,
    private readonly views: TaskViewsService,
    private readonly directory: DirectoryService,
    private readonly meetings: MeetingsService,
  ) {}

  /** Through the unit of work: inside a transaction, on its connection. */
  private get items(): Repository<TaskItemEntity> {
    return this.db.manager.getRepository(TaskItemEntity);
  }

  async list(actor: Actor, filter: { meetingId?: string; state?: TaskState } = {}): Promise<TaskItemView[]> {
    const qb = this.items.createQueryBuilder('t').orderBy('t.created_at', 'ASC');
    if (filter.meetingId) qb.andWhere('t.meeting_id = :meetingId', { meetingId: filter.meetingId });
    if (filter.state) qb.andWhere('t.state = :state', { state: filter.state });
    if (actor.role === 'unit_handler') {
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('t.lead_unit_id = :unit', { unit: actor.unitId })
            .orWhere('t.id IN (SELECT task_item_id FROM task_cooperating_unit WHERE unit_id = :unit)', {
              unit: actor.unitId,
            }),
        ),
      );
    } else if (actor.role === 'attendee') {
      qb.andWhere('t.id IN (SELECT task_item_id FROM task_proposer WHERE participant_id = :p)', {
        p: actor.participantId,
      });
    } else if (!OVERSEERS.has(actor.role)) {
      return [];
    }
    return this.views.views(await qb.getMany());
  }

  async get(actor: Actor, id: string): Promise<TaskItemView> {
    const item = await this.items.findOne({ where: { id } });
    if (!item || !(await this.access.canSee(actor, item))) throw notFound('task item', id);
    const [view] = await this.views.views([item]);
    if (!view) throw notFound('task item', id);
    return view;
  }

  /** 一会一单: a meeting's decided matters as one list, with per-item progress. */
  async meetingList(meetingId: string): Promise<MeetingTaskList> {
    await this.meetings.require(meetingId);
    const rows = await this.items.find({ where: { meetingId }, order: { createdAt: 'ASC' } });
    const views = await this.views.views(rows);
    const items = views.map((v) => {
      const last = v.progress.at(-1);
      return {
        id: v.id,
        problem: v.problem,
        leadUnitId: v.leadUnitId,
        state: v.state,
        deadline: v.deadline,
        light: v.light,
        percent: v.state === 'closed' ? 100 : (last?.percent ?? null),
        lastProgressAt: last?.at ?? null,
      };
    });
    return {
      meetingId,
      counts: {
        total: items.length,
        closed: items.filter((i) => i.state === 'closed').length,
        open: items.filter((i) => i.state !== 'closed').length,
        overdue: items.filter((i) => i.light === 'red').length,
      },
      items,
    };
  }

  /**
   * 政务公开: published items and their handling results, without any personal data; in order
   * of publication, paginated (keyset on the publication time and id).
   */
  async publicItems(limit: number, cursor?: string): Promise<Page<PublicTaskView>> {
    const after = decodeCursor(cursor, 2);
    const qb = this.items
      .createQueryBuilder('t')
      .where('t.published_at IS NOT NULL')
      .orderBy('t.published_at', 'ASC')
      .addOrderBy('t.id', 'ASC')
      .limit(limit + 1);
    if (after) qb.andWhere('(t.published_at, t.id) > (:at, :id)', { at: after[0], id: after[1] });
    const page = pageOf(await qb.getMany(), limit, (t) => [(t.publishedAt as Date).toISOString(), t.id]);
    const rows = page.items;
    if (rows.length === 0) return { items: [], nextCursor: null };
    const [units, replies] = await Promise.all([
      this.directory.unitNames(rows.map((r) => r.leadUnitId)),
      this.db.manager.find(TaskReplyEntity, {
        where: { taskItemId: In(rows.map((r) => r.id)) },
        order: { createdAt: 'ASC' },
      }),
    ]);
    const items = rows.map((t) => ({
      id: t.id,
      meetingId: t.meetingId,
      problem: t.problem,
      leadUnit: units.get(t.leadUnitId) ?? '',
      measure: t.measure,
      deadline: t.deadline,
      taskClass: t.taskClass,
      classReason: t.classReason,
      state: t.state,
      reply: replies.filter((r) => r.taskItemId === t.id && r.sentAt !== null).at(-1)?.body ?? null,
      publishedAt: (t.publishedAt as Date).toISOString(),
      closedAt: t.closedAt?.toISOString() ?? null,
    }));
    return { items, nextCursor: page.nextCursor };
  }

  /** Items with everything the ledger shows, for the insights context (in the order of `ids`). */
  async ledgerItems(ids: string[]): Promise<TaskItemView[]> {
    if (ids.length === 0) return [];
    const rows = await this.items.find({ where: { id: In(ids) } });
    const byId = new Map((await this.views.views(rows)).map((v) => [v.id, v]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }
}
