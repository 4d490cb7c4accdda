import { Injectable } from '@nestjs/common';
import type { Rating, TaskClass, TaskState, Urgency } from '@liexi/contracts';
import { DirectoryService } from '@liexi/directory';
import { MeetingsService } from '@liexi/meetings';
import {
  type Actor,
  Db,
  encodeCursor,
  keysetCondition,
  keysetOrderBy,
  keysetPage,
  mapPage,
  notFound,
  type Page,
  type PageQueryDto,
  pageSize,
} from '@liexi/platform';
import { In, Repository } from 'typeorm';
import { OVERSEERS, TaskAccessService } from './task-access.service';
import { TaskItemEntity } from './task-item.entity';
import type { MeetingTaskList, PublicTaskView } from './handling.views';
import type { TaskItemView } from './task-item.view';
import { TaskReplyEntity } from './task-links.entity';
import { TASK_ORDER, type TaskWhere, TaskViewsService } from './task-views.service';
import { HANDLING_STATES } from './task-workflow';
import { WorkCalendarService } from './work-calendar.service';

/** Reading items: lists by role, one item, a meeting's list, the public list and the ledger's items. */
@Injectable()
export class TaskQueriesService {
  constructor(
    private readonly db: Db,
    private readonly access: TaskAccessService,
    private readonly views: TaskViewsService,
    private readonly directory: DirectoryService,
    private readonly meetings: MeetingsService,
    private readonly calendar: WorkCalendarService,
  ) {}

  /** Through the unit of work: inside a transaction, on its connection. */
  private get items(): Repository<TaskItemEntity> {
    return this.db.manager.getRepository(TaskItemEntity);
  }

  /** A page of the items the actor may see: overseers all, a unit its lead and co-operated items, an attendee those they proposed. */
  async list(
    actor: Actor,
    filter: { meetingId?: string; state?: TaskState },
    query: PageQueryDto,
  ): Promise<Page<TaskItemView>> {
    const where: TaskWhere = { sql: [], params: [] };
    const param = (v: unknown): string => `$${where.params.push(v)}`;
    if (filter.meetingId) where.sql.push(`t.meeting_id = ${param(filter.meetingId)}`);
    if (filter.state) where.sql.push(`t.state = ${param(filter.state)}`);
    if (actor.role === 'unit_handler') {
      const unit = param(actor.unitId);
      where.sql.push(
        `(t.lead_unit_id = ${unit} OR t.id IN (SELECT task_item_id FROM task_cooperating_unit WHERE unit_id = ${unit}))`,
      );
    } else if (actor.role === 'attendee') {
      where.sql.push(
        `t.id IN (SELECT task_item_id FROM task_proposer WHERE participant_id = ${param(actor.participantId)})`,
      );
    } else if (!OVERSEERS.has(actor.role)) {
      return { items: [], nextCursor: null };
    }
    return this.views.page(where, query);
  }

  async get(actor: Actor, id: string): Promise<TaskItemView> {
    const item = await this.items.findOne({ where: { id } });
    if (!item || !(await this.access.canSee(actor, item))) throw notFound('task item', id);
    const [view] = await this.views.views([item]);
    if (!view) throw notFound('task item', id);
    return view;
  }

  /** 一会一单: a meeting's decided matters, counted whole, with per-item progress a page at a time. */
  async meetingList(meetingId: string, query: PageQueryDto): Promise<MeetingTaskList> {
    await this.meetings.require(meetingId);
    const limit = pageSize(query);
    const after = keysetCondition(TASK_ORDER, query.cursor, 2);
    const params = [meetingId, ...after.params, limit + 1];
    const [rows, counts] = await Promise.all([
      this.db.query<{
        id: string;
        problem: string;
        leadUnitId: string;
        state: TaskState;
        deadline: string;
        deadlinePending: boolean;
        percent: number | null;
        lastProgressAt: string | null;
        keyset: string;
      }>(
        `SELECT t.id, t.problem, t.lead_unit_id AS "leadUnitId", t.state, t.deadline::text AS deadline,
           t.deadline_pending AS "deadlinePending", t.created_at::text AS keyset, g.percent,
           to_char(g.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "lastProgressAt"
         FROM task_item t
         LEFT JOIN LATERAL (SELECT percent, created_at FROM task_progress_report
           WHERE task_item_id = t.id ORDER BY created_at DESC, id DESC LIMIT 1) g ON true
         WHERE t.meeting_id = $1 ${after.sql ? `AND ${after.sql}` : ''}
         ORDER BY ${keysetOrderBy(TASK_ORDER)} LIMIT $${params.length}`,
        params,
      ),
      this.db.query<{ total: number; closed: number; overdue: number }>(
        `SELECT count(*)::int AS total, count(*) FILTER (WHERE state = 'closed')::int AS closed,
           count(*) FILTER (WHERE state = ANY($2::text[]) AND NOT deadline_pending AND deadline < $3::date)::int AS overdue
         FROM task_item WHERE meeting_id = $1`,
        [meetingId, HANDLING_STATES, this.calendar.today()],
      ),
    ]);
    const calendar = await this.calendar.calendar();
    const today = this.calendar.today();
    const last = rows[limit - 1];
    const total = counts[0] ?? { total: 0, closed: 0, overdue: 0 };
    return {
      meetingId,
      counts: {
        total: total.total,
        closed: total.closed,
        open: total.total - total.closed,
        overdue: total.overdue,
      },
      items: rows.slice(0, limit).map((r) => ({
        id: r.id,
        problem: r.problem,
        leadUnitId: r.leadUnitId,
        state: r.state,
        deadline: r.deadline,
        light: this.calendar.light(r, calendar, today),
        percent: r.state === 'closed' ? 100 : r.percent,
        lastProgressAt: r.lastProgressAt,
      })),
      nextCursor: rows.length > limit && last ? encodeCursor([last.keyset, last.id]) : null,
    };
  }

  /** 政务公开: published items and their handling results, without any personal data, in publication order. */
  async publicItems(query: PageQueryDto): Promise<Page<PublicTaskView>> {
    const page = await keysetPage(
      this.items.createQueryBuilder('t').where('t.published_at IS NOT NULL'),
      { column: 't.published_at', type: 'timestamptz', id: 't.id' },
      query,
    );
    const rows = page.items;
    if (rows.length === 0) return { items: [], nextCursor: null };
    const [units, replies] = await Promise.all([
      this.directory.unitNames(rows.map((r) => r.leadUnitId)),
      this.db.manager.find(TaskReplyEntity, {
        where: { taskItemId: In(rows.map((r) => r.id)) },
        order: { createdAt: 'ASC' },
      }),
    ]);
    const lastSent = new Map<string, string>();
    for (const r of replies) if (r.sentAt !== null) lastSent.set(r.taskItemId, r.body);
    return mapPage(page, (t) => ({
      id: t.id,
      meetingId: t.meetingId,
      problem: t.problem,
      leadUnit: units.get(t.leadUnitId) ?? '',
      measure: t.measure,
      deadline: t.deadline,
      taskClass: t.taskClass,
      classReason: t.classReason,
      state: t.state,
      reply: lastSent.get(t.id) ?? null,
      publishedAt: (t.publishedAt as Date).toISOString(),
      closedAt: t.closedAt?.toISOString() ?? null,
    }));
  }

  /**
   * What the ledger shows of these items (in the order of `ids`), in one statement: the related
   * lists aggregated by PostgreSQL, units, meetings and proposers as ids (the insights context
   * names them).
   */
  async ledgerItems(ids: string[]): Promise<LedgerItem[]> {
    if (ids.length === 0) return [];
    // Ratings from worst to best: a round's satisfaction is its lowest rating (every proposer rates).
    const worst = (round: string): string => `(SELECT e.rating FROM task_evaluation e
         WHERE e.task_item_id = t.id AND e.round = ${round}
         ORDER BY CASE e.rating WHEN 'unsatisfied' THEN 0 WHEN 'basically_satisfied' THEN 1 ELSE 2 END
         LIMIT 1)`;
    const iso = (col: string): string =>
      `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    const rows = await this.db.query<LedgerItem>(
      `SELECT t.id, t.meeting_id AS "meetingId", t.agenda_item_id AS "agendaItemId", t.problem,
         t.lead_unit_id AS "leadUnitId", t.responsible_person AS "responsiblePerson", t.measure,
         t.deadline::text AS deadline, t.close_out_standard AS "closeOutStandard", t.task_class AS "taskClass",
         t.urgency, t.state, t.reopen_count AS "reopenCount",
         ${iso('t.assigned_at')} AS "assignedAt", ${iso('t.closed_at')} AS "closedAt",
         (SELECT coalesce(json_agg(c.unit_id ORDER BY c.unit_id), '[]'::json)
            FROM task_cooperating_unit c WHERE c.task_item_id = t.id) AS "cooperatingUnitIds",
         (SELECT coalesce(json_agg(p.participant_id ORDER BY p.participant_id) FILTER (WHERE NOT p.anonymous), '[]'::json)
            FROM task_proposer p WHERE p.task_item_id = t.id) AS "proposerIds",
         (SELECT count(*)::int FROM task_proposer p WHERE p.task_item_id = t.id AND p.anonymous) AS "anonymousProposers",
         (SELECT r.body FROM task_reply r WHERE r.task_item_id = t.id AND r.sent_at IS NOT NULL
            ORDER BY r.created_at DESC, r.id DESC LIMIT 1) AS reply,
         (SELECT ${iso('min(r.sent_at)')} FROM task_reply r WHERE r.task_item_id = t.id) AS "repliedAt",
         (SELECT coalesce(json_agg(e.rating ORDER BY e.created_at, e.id), '[]'::json)
            FROM task_evaluation e WHERE e.task_item_id = t.id) AS ratings,
         ${worst('1')} AS "firstSatisfaction",
         ${worst('(SELECT max(e2.round) FROM task_evaluation e2 WHERE e2.task_item_id = t.id)')} AS "finalSatisfaction"
       FROM task_item t WHERE t.id = ANY($1::uuid[])`,
      [ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }
}

/** What the ledger shows of an item, before the insights context names units, meetings and people. */
export interface LedgerItem {
  id: string;
  meetingId: string | null;
  agendaItemId: string | null;
  problem: string;
  leadUnitId: string;
  responsiblePerson: string | null;
  measure: string;
  deadline: string;
  closeOutStandard: string;
  taskClass: TaskClass;
  urgency: Urgency;
  state: TaskState;
  reopenCount: number;
  /** 交办: first assignment (null for a draft). */
  assignedAt: string | null;
  closedAt: string | null;
  cooperatingUnitIds: string[];
  proposerIds: string[];
  anonymousProposers: number;
  reply: string | null;
  /** When the first reply was sent (办复). */
  repliedAt: string | null;
  ratings: Rating[];
  /** The lowest rating of the first round and of the last rated round (满意度: 首次 / 最终). */
  firstSatisfaction: Rating | null;
  finalSatisfaction: Rating | null;
}
