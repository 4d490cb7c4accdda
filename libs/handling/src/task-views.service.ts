import { Injectable } from '@nestjs/common';
import {
  Db,
  encodeCursor,
  keysetCondition,
  keysetOrderBy,
  type KeysetOrder,
  type Page,
  type PageQueryDto,
  pageSize,
} from '@liexi/platform';
import type { TaskClass, TaskState, Urgency } from '@liexi/contracts';
import type { TaskItemView } from './task-item.view';
import { allowedTaskActions } from './task-workflow';
import { WorkCalendarService } from './work-calendar.service';
import type { Calendar } from './working-days';

/** A timestamptz as JavaScript's toISOString prints it (UTC, milliseconds). */
const iso = (col: string): string => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const list = (expr: string, from: string, order: string): string =>
  `(SELECT coalesce(json_agg(${expr} ORDER BY ${order}), '[]'::json) FROM ${from})`;

/**
 * One statement reads items with every list that belongs to them, aggregated per item by
 * PostgreSQL (each sub-select walks an index on task_item_id): a page of any size costs this
 * statement and the holiday calendar, never a query per item or per linked table.
 */
const SELECT_VIEWS = `
SELECT t.id, t.meeting_id AS "meetingId", t.agenda_item_id AS "agendaItemId", t.problem,
  t.lead_unit_id AS "leadUnitId", t.responsible_person AS "responsiblePerson", t.measure,
  t.deadline::text AS deadline, t.deadline_pending AS "deadlinePending",
  t.close_out_standard AS "closeOutStandard", t.task_class AS "taskClass", t.class_reason AS "classReason",
  t.urgency, t.state, t.reopen_count AS "reopenCount", t.return_reason AS "returnReason",
  t.suggested_unit_id AS "suggestedUnitId", ${iso('t.closed_at')} AS "closedAt",
  ${iso('t.published_at')} AS "publishedAt", ${iso('t.assigned_at')} AS "assignedAt",
  ${iso('t.created_at')} AS "createdAt",
  t.created_at::text AS keyset_value,
  ${list('c.unit_id', 'task_cooperating_unit c WHERE c.task_item_id = t.id', 'c.unit_id')} AS "cooperatingUnitIds",
  ${list('s.input_id', 'task_source_input s WHERE s.task_item_id = t.id', 's.input_id')} AS "sourceInputIds",
  (SELECT json_build_object(
     'participantIds', coalesce(json_agg(p.participant_id ORDER BY p.participant_id) FILTER (WHERE NOT p.anonymous), '[]'::json),
     'anonymousCount', count(*) FILTER (WHERE p.anonymous))
   FROM task_proposer p WHERE p.task_item_id = t.id) AS proposers,
  ${list(
    `json_build_object('id', r.id, 'round', r.round, 'body', r.body, 'approved', r.approved_at IS NOT NULL,
       'sentAt', ${iso('r.sent_at')}, 'reviews', ${list(
         `json_build_object('level', v.level, 'decision', v.decision, 'comment', v.comment, 'at', ${iso('v.created_at')})`,
         'task_reply_review v WHERE v.reply_id = r.id',
         'v.created_at, v.id',
       )})`,
    'task_reply r WHERE r.task_item_id = t.id',
    'r.created_at, r.id',
  )} AS replies,
  ${list(
    `json_build_object('round', e.round, 'rating', e.rating, 'comment', e.comment, 'at', ${iso('e.created_at')})`,
    'task_evaluation e WHERE e.task_item_id = t.id',
    'e.created_at, e.id',
  )} AS evaluations,
  ${list(
    `json_build_object('text', g.text, 'percent', g.percent, 'attachments', g.attachments, 'at', ${iso('g.created_at')})`,
    'task_progress_report g WHERE g.task_item_id = t.id',
    'g.created_at, g.id',
  )} AS progress,
  ${list(
    `json_build_object('unitId', o.unit_id, 'dueDate', o.due_date, 'body', o.body, 'submittedAt', ${iso('o.submitted_at')},
       'waivedAt', ${iso('o.waived_at')}, 'waiveReason', o.waive_reason)`,
    'task_cooperation_opinion o WHERE o.task_item_id = t.id',
    'o.unit_id',
  )} AS opinions,
  ${list(
    `json_build_object('id', d.id, 'kind', d.kind, 'previousDeadline', d.previous_deadline,
       'requestedDeadline', d.requested_deadline, 'reason', d.reason, 'status', d.status,
       'decisionComment', d.decision_comment, 'at', ${iso('d.created_at')})`,
    'task_deadline_change d WHERE d.task_item_id = t.id',
    'd.created_at, d.id',
  )} AS "deadlineChanges",
  ${list(
    `json_build_object('round', i.round, 'dueAt', ${iso('i.due_at')}, 'outcome', i.outcome, 'note', i.note)`,
    'task_reinspection i WHERE i.task_item_id = t.id',
    'i.round',
  )} AS reinspections
FROM task_item t`;

type ViewRow = Omit<TaskItemView, 'light' | 'allowedActions'> & {
  keyset_value: string;
  taskClass: TaskClass;
  urgency: Urgency;
  state: TaskState;
};

/** Lists of items in creation order: `(created_at, id)`. */
export const TASK_ORDER: KeysetOrder = { column: 't.created_at', type: 'timestamptz', id: 't.id' };

/** Which items a list holds: SQL over `task_item t` with positional parameters from $1. */
export interface TaskWhere {
  sql: string[];
  params: unknown[];
}

/** Builds the full views of items: one statement for any number of them. */
@Injectable()
export class TaskViewsService {
  constructor(
    private readonly db: Db,
    private readonly calendar: WorkCalendarService,
  ) {}

  /** The views of these items, in the order given. */
  async views(items: { id: string }[]): Promise<TaskItemView[]> {
    if (items.length === 0) return [];
    const rows = await this.db.query<ViewRow>(`${SELECT_VIEWS} WHERE t.id = ANY($1::uuid[])`, [
      items.map((i) => i.id),
    ]);
    const byId = new Map((await this.finish(rows)).map((v) => [v.id, v]));
    return items.flatMap((i) => byId.get(i.id) ?? []);
  }

  /** A page of the items `where` selects, in creation order. */
  async page(
    where: TaskWhere,
    query: PageQueryDto,
    order: KeysetOrder = TASK_ORDER,
  ): Promise<Page<TaskItemView>> {
    const limit = pageSize(query);
    const after = keysetCondition(order, query.cursor, where.params.length + 1);
    const conditions = after.sql ? [...where.sql, after.sql] : where.sql;
    const params = [...where.params, ...after.params, limit + 1];
    // The holiday calendar (for the lights) is read beside the page, not after it.
    const [rows, calendar] = await Promise.all([
      this.db.query<ViewRow>(
        `${SELECT_VIEWS} ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
         ORDER BY ${keysetOrderBy(order)} LIMIT $${params.length}`,
        params,
      ),
      this.calendar.calendar(),
    ]);
    const last = rows[limit - 1];
    const items = await this.finish(rows.slice(0, limit), calendar);
    return {
      items,
      nextCursor: rows.length > limit && last ? encodeCursor([last.keyset_value, last.id]) : null,
    };
  }

  private async finish(rows: ViewRow[], known?: Calendar): Promise<TaskItemView[]> {
    if (rows.length === 0) return [];
    const calendar = known ?? (await this.calendar.calendar());
    const today = this.calendar.today();
    return rows.map(({ keyset_value: _key, ...r }) => ({
      ...r,
      light: this.calendar.light(r, calendar, today),
      allowedActions: allowedTaskActions(r.state),
    }));
  }
}
