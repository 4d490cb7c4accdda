/* The bare reference for the list benchmark (bench/lists.ts): express + one pg.Pool on the
 * product's own database, no framework, no validation, no auth. GET /tasks and GET /ledger answer
 * the first page (`?limit=`, 50 by default) with what the product's pages carry, each written as
 * the one obvious hand-made SELECT (related lists aggregated by json_agg). */
import express from 'express';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.BARE_DATABASE_URL, max: 20 });
const app = express();

const iso = (col: string): string => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const agg = (expr: string, from: string, order: string): string =>
  `(SELECT coalesce(json_agg(${expr} ORDER BY ${order}), '[]'::json) FROM ${from})`;

const TASKS = `
SELECT t.id, t.meeting_id AS "meetingId", t.agenda_item_id AS "agendaItemId", t.problem,
  t.lead_unit_id AS "leadUnitId", t.responsible_person AS "responsiblePerson", t.measure,
  t.deadline::text AS deadline, t.deadline_pending AS "deadlinePending",
  t.close_out_standard AS "closeOutStandard", t.task_class AS "taskClass", t.class_reason AS "classReason",
  t.urgency, t.state, t.reopen_count AS "reopenCount", t.return_reason AS "returnReason",
  t.suggested_unit_id AS "suggestedUnitId", ${iso('t.closed_at')} AS "closedAt",
  ${iso('t.published_at')} AS "publishedAt", ${iso('t.created_at')} AS "createdAt",
  ${agg('c.unit_id', 'task_cooperating_unit c WHERE c.task_item_id = t.id', 'c.unit_id')} AS "cooperatingUnitIds",
  ${agg('s.input_id', 'task_source_input s WHERE s.task_item_id = t.id', 's.input_id')} AS "sourceInputIds",
  ${agg("json_build_object('participantId', p.participant_id, 'anonymous', p.anonymous)", 'task_proposer p WHERE p.task_item_id = t.id', 'p.participant_id')} AS proposers,
  ${agg("json_build_object('round', r.round, 'body', r.body, 'sentAt', r.sent_at)", 'task_reply r WHERE r.task_item_id = t.id', 'r.created_at')} AS replies,
  ${agg("json_build_object('rating', e.rating, 'comment', e.comment)", 'task_evaluation e WHERE e.task_item_id = t.id', 'e.created_at')} AS evaluations,
  ${agg("json_build_object('text', g.text, 'percent', g.percent)", 'task_progress_report g WHERE g.task_item_id = t.id', 'g.created_at')} AS progress,
  ${agg("json_build_object('unitId', o.unit_id, 'body', o.body)", 'task_cooperation_opinion o WHERE o.task_item_id = t.id', 'o.unit_id')} AS opinions,
  ${agg("json_build_object('kind', d.kind, 'status', d.status)", 'task_deadline_change d WHERE d.task_item_id = t.id', 'd.created_at')} AS "deadlineChanges",
  ${agg("json_build_object('round', i.round, 'outcome', i.outcome)", 'task_reinspection i WHERE i.task_item_id = t.id', 'i.round')} AS reinspections
FROM task_item t ORDER BY t.created_at, t.id LIMIT $1`;

const LEDGER = `
SELECT t.id AS "taskId", m.title AS meeting, a.title AS "agendaItem", t.problem,
  ${agg('pp.name', 'task_proposer p JOIN participant pp ON pp.id = p.participant_id WHERE p.task_item_id = t.id AND NOT p.anonymous', 'pp.name')} AS proposers,
  (SELECT count(*)::int FROM task_proposer p WHERE p.task_item_id = t.id AND p.anonymous) AS "anonymousProposers",
  u.name AS "leadUnit",
  ${agg('cu.name', 'task_cooperating_unit c JOIN unit cu ON cu.id = c.unit_id WHERE c.task_item_id = t.id', 'cu.name')} AS "cooperatingUnits",
  t.responsible_person AS "responsiblePerson", t.measure, t.deadline::text AS deadline,
  t.close_out_standard AS "closeOutStandard", t.task_class AS "taskClass", t.urgency, t.state,
  t.reopen_count AS "reopenCount",
  (SELECT r.body FROM task_reply r WHERE r.task_item_id = t.id AND r.sent_at IS NOT NULL ORDER BY r.created_at DESC LIMIT 1) AS reply,
  ${agg('e.rating', 'task_evaluation e WHERE e.task_item_id = t.id', 'e.created_at')} AS ratings,
  ${iso('t.closed_at')} AS "closedAt"
FROM task_item t
JOIN unit u ON u.id = t.lead_unit_id
LEFT JOIN meeting m ON m.id = t.meeting_id
LEFT JOIN agenda_item a ON a.id = t.agenda_item_id
ORDER BY t.created_at, t.id LIMIT $1`;

const page =
  (sql: string): express.RequestHandler =>
  (req, res, next) => {
    const limit = Math.min(Number(req.query.limit ?? 50) || 50, 200);
    pool
      .query(sql, [limit + 1])
      .then(
        (r) => res.json({ items: r.rows.slice(0, limit), nextCursor: r.rows.length > limit ? 'more' : null }),
        next,
      );
  };

app.get('/health', (_req, res) => {
  res.json({ ok: true });
});
app.get('/tasks', page(TASKS));
app.get('/ledger', page(LEDGER));

const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
