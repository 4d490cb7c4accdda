/* A data set of the shape of seed 001 (内乡县 2024 提案办理: 170 items, classes A/B/C, 147
 * co-handled, replied, rated, mostly closed) written with plain SQL, and the plan it was made
 * from, so a test can count every figure by arithmetic over the plan — independently of the
 * figure SQL — and compare. Deliberate corner cases: late replies, an extension approved before
 * the reply (on time) and one approved after it (still late), second handlings, phone-only and
 * missing contacts, two items still open past their deadline. */
import type { Client } from 'pg';

export const CLASS_COUNTS = { A: 115, B: 49, C: 6 };
export const N = 170;
export const CO_HANDLED = 147;
const DAY = 86_400_000;
/** 10:00 in Asia/Shanghai on 2024-05-09 + i days. */
const assignedAt = (i: number): Date => new Date(Date.UTC(2024, 4, 9, 2) + i * DAY);
const date = (d: Date): string => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

export type Rating = 'satisfied' | 'basically_satisfied' | 'unsatisfied';

export interface PlannedItem {
  i: number;
  id?: string;
  taskClass: 'A' | 'B' | 'C';
  unit: number;
  coUnit: number | null;
  meeting: 0 | 1;
  agenda: 0 | 1 | 2;
  deputy: boolean;
  assignedAt: Date;
  /** Deadline at assignment, and the current one (after the extension, if any). */
  deadline0: string;
  deadline: string;
  /** Local date the first reply was sent, null when not replied. */
  firstReply: Date | null;
  /** The deadline in force when the first reply was sent. */
  deadlineAtReply: string | null;
  extension: { decidedAt: Date; to: string } | null;
  reopened: boolean;
  round1: Rating | null;
  round2: Rating | null;
  state: 'closed' | 'evaluated' | 'in_progress';
  contact: 'visit' | 'phone' | null;
}

export function plan(): PlannedItem[] {
  const items: PlannedItem[] = [];
  for (let i = 0; i < N; i++) {
    const taskClass = i < CLASS_COUNTS.A ? 'A' : i < CLASS_COUNTS.A + CLASS_COUNTS.B ? 'B' : 'C';
    const at = assignedAt(i);
    const deadline0 = date(new Date(at.getTime() + 60 * DAY));
    const replied = i < 168;
    const firstReply = replied ? new Date(at.getTime() + (i % 7 === 0 ? 75 : 30) * DAY) : null;
    // i = 7: an extension to +90 approved at +50 (before the late reply at +75): on time.
    // i = 14: an extension to +100 approved at +80 (after the reply at +75): still late.
    const extension =
      i === 7
        ? { decidedAt: new Date(at.getTime() + 50 * DAY), to: date(new Date(at.getTime() + 90 * DAY)) }
        : i === 14
          ? { decidedAt: new Date(at.getTime() + 80 * DAY), to: date(new Date(at.getTime() + 100 * DAY)) }
          : null;
    const deadline = extension ? extension.to : deadline0;
    const deadlineAtReply =
      firstReply === null ? null : extension && extension.decidedAt < firstReply ? extension.to : deadline0;
    const reopened = replied && i % 13 === 0;
    const round1: Rating | null = !replied
      ? null
      : reopened
        ? 'unsatisfied'
        : i % 4 === 0
          ? 'basically_satisfied'
          : 'satisfied';
    items.push({
      i,
      taskClass,
      unit: i % 12,
      coUnit: i < CO_HANDLED ? (i + 1) % 12 : null,
      meeting: (i % 2) as 0 | 1,
      agenda: i % 2 === 0 ? (i % 4 === 0 ? 0 : 1) : 2,
      deputy: i % 5 === 0,
      assignedAt: at,
      deadline0,
      deadline,
      firstReply,
      deadlineAtReply,
      extension,
      reopened,
      round1,
      round2: reopened ? 'satisfied' : null,
      state: !replied ? 'in_progress' : i % 11 === 0 ? 'evaluated' : 'closed',
      contact: i === 5 ? null : i % 17 === 0 ? 'phone' : 'visit',
    });
  }
  return items;
}

export interface Seeded {
  items: PlannedItem[];
  units: string[];
  unitNames: string[];
  meetings: string[];
  agenda: string[];
}

/** Writes the plan with SQL (the figure facts are then derived by TaskFigureFacts.rebuild). */
export async function seed001(db: Client, accountId: string): Promise<Seeded> {
  const items = plan();
  const unitNames = [
    '县住建局',
    '县公安局',
    '县教体局',
    '县人社局',
    '县司法局',
    '县交通局',
    '县水利局',
    '县发改委',
    '县城管局',
    '县卫健局',
    '公路中心',
    '县自然资源局',
  ];
  const units: string[] = [];
  for (const name of unitNames)
    units.push((await db.query('INSERT INTO unit (name) VALUES ($1) RETURNING id', [name])).rows[0].id);
  const meetings: string[] = [];
  for (const [kind, title, day] of [
    ['executive', '县政府第四次常务会议', '2024-03-27'],
    ['assignment', '提案交办会', '2024-05-09'],
  ])
    meetings.push(
      (
        await db.query(
          `INSERT INTO meeting (kind, title, starts_at, ends_at, status) VALUES ($1, $2, $3, $3::timestamptz + interval '2 hours', 'adjourned') RETURNING id`,
          [kind, title, `${day}T01:00:00Z`],
        )
      ).rows[0].id,
    );
  const agenda: string[] = [];
  for (const [m, title, category] of [
    [0, '优化营商环境', 'key_work'],
    [0, '城区供水能力提升', 'major_matter'],
    [1, '提案办理工作通知', 'important_document'],
  ] as const)
    agenda.push(
      (
        await db.query(
          'INSERT INTO agenda_item (meeting_id, position, title, category) VALUES ($1, $2, $3, $4) RETURNING id',
          [meetings[m], agenda.length + 1, title, category],
        )
      ).rows[0].id,
    );
  const members: string[] = [];
  const deputies: string[] = [];
  for (let k = 0; k < 30; k++)
    members.push(
      (
        await db.query(
          `INSERT INTO participant (name, constituency, contact) VALUES ($1, 'cppcc_member', $2) RETURNING id`,
          [`委员${k}`, `1390000${String(k).padStart(4, '0')}`],
        )
      ).rows[0].id,
    );
  for (let k = 0; k < 10; k++)
    deputies.push(
      (
        await db.query(
          `INSERT INTO participant (name, constituency, contact) VALUES ($1, 'deputy', $2) RETURNING id`,
          [`代表${k}`, `1380000${String(k).padStart(4, '0')}`],
        )
      ).rows[0].id,
    );
  for (const p of items) {
    const proposer = p.deputy ? deputies[p.i % 10] : members[p.i % 30];
    const id = (
      await db.query(
        `INSERT INTO task_item (meeting_id, agenda_item_id, problem, lead_unit_id, measure, deadline, close_out_standard,
           task_class, class_reason, urgency, state, reopen_count, assigned_at, closed_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, '问题解决到位', $7, $8, 'long_term', $9, $10, $11, $12, $11) RETURNING id`,
        [
          meetings[p.meeting],
          agenda[p.agenda],
          `关于第${p.i + 1}号提案所提问题`,
          units[p.unit],
          `第${p.i + 1}号提案的办理措施`,
          p.deadline,
          p.taskClass,
          p.taskClass === 'C' ? '受上级政策限制，短期内无法解决' : null,
          p.state,
          p.reopened ? 1 : 0,
          p.assignedAt,
          p.state === 'closed' ? new Date(p.assignedAt.getTime() + 120 * DAY) : null,
        ],
      )
    ).rows[0].id as string;
    p.id = id;
    await db.query(
      'INSERT INTO task_proposer (task_item_id, participant_id, constituency) VALUES ($1, $2, $3)',
      [id, proposer, p.deputy ? 'deputy' : 'cppcc_member'],
    );
    if (p.coUnit !== null)
      await db.query('INSERT INTO task_cooperating_unit (task_item_id, unit_id) VALUES ($1, $2)', [
        id,
        units[p.coUnit],
      ]);
    if (p.firstReply) {
      await db.query(
        `INSERT INTO task_reply (task_item_id, round, body, drafted_by, approved_by, approved_at, sent_at) VALUES ($1, 1, $2, $3, $3, $4, $4)`,
        [id, `关于第${p.i + 1}号提案的答复：已办理。`, accountId, p.firstReply],
      );
      await db.query(
        'INSERT INTO task_evaluation (task_item_id, participant_id, round, rating) VALUES ($1, $2, 1, $3)',
        [id, proposer, p.round1],
      );
    }
    if (p.reopened && p.firstReply) {
      const second = new Date(p.firstReply.getTime() + 40 * DAY);
      await db.query(
        `INSERT INTO task_reply (task_item_id, round, body, drafted_by, approved_by, approved_at, sent_at) VALUES ($1, 2, '二次办理答复', $2, $2, $3, $3)`,
        [id, accountId, second],
      );
      await db.query(
        'INSERT INTO task_evaluation (task_item_id, participant_id, round, rating) VALUES ($1, $2, 2, $3)',
        [id, proposer, p.round2],
      );
    }
    if (p.extension)
      await db.query(
        `INSERT INTO task_deadline_change (task_item_id, kind, previous_deadline, requested_deadline, reason, status, requested_by, decided_by, decided_at)
         VALUES ($1, 'extension', $2, $3, '需跨部门协调', 'approved', $4, $4, $5)`,
        [id, p.deadline0, p.extension.to, accountId, p.extension.decidedAt],
      );
    if (p.contact)
      await db.query(
        'INSERT INTO task_contact (task_item_id, kind, contacted_on, recorded_by) VALUES ($1, $2, $3, $4)',
        [id, p.contact, date(new Date(p.assignedAt.getTime() + 5 * DAY)), accountId],
      );
  }
  return { items, units, unitNames, meetings, agenda };
}
