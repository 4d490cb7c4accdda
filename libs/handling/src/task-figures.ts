import type { FigureDefinition } from '@liexi/platform';

/** States in which the lead unit still handles the item (the supervision light's states). */
export const HANDLING = `f.state NOT IN ('draft', 'replied', 'evaluated', 'closed')`;
export const OVERDUE = `${HANDLING} AND NOT f.deadline_pending AND f.deadline < :today`;

/** How overdue days are counted (FIGURES.md). */
export const OVERDUE_DAYS_DOC =
  'Overdue days: for each overdue item, the working days d with deadline < d ≤ today (weekends off unless `work_calendar_day` says `workday`, holidays off), summed (and per unit in rankings); computed by grouping the overdue items by deadline: `SELECT f.deadline, count(*) FROM task_figure_fact f WHERE <filters> AND <overdue> GROUP BY f.deadline`.';

/**
 * The figures of task items, on `task_figure_fact f` (one row per item, derived from its
 * records: `REFRESH_FACTS_SQL`). Every figure counts only assigned items (交办: `assigned_at`
 * set; the period filter is on it). FIGURES.md is generated from this table.
 */
export const TASK_FIGURES: FigureDefinition[] = [
  {
    code: 'assigned',
    name: { zh: '交办件数', en: 'Items assigned' },
    definition: {
      zh: '已交办的事项（草稿不计），按办理阶段分：办理中、已答复待销号、已销号。',
      en: 'Items assigned to a lead unit (drafts not counted), by stage: being handled, answered, closed out.',
    },
    counts: 'items',
    table: 'task_figure_fact f',
    base: 'true',
    parts: [
      { code: 'handling', name: { zh: '办理中', en: 'being handled' }, where: HANDLING },
      {
        code: 'answered',
        name: { zh: '已答复待销号', en: 'answered, not closed' },
        where: `f.state IN ('replied', 'evaluated')`,
      },
      { code: 'closed', name: { zh: '已销号', en: 'closed out' }, where: `f.state = 'closed'` },
    ],
    numerator: null,
  },
  {
    code: 'reply_rate',
    name: { zh: '办复率', en: 'Reply rate' },
    definition: {
      zh: '已向提出人发出答复的事项 ÷ 交办件数。',
      en: 'Items whose reply was sent to the proposers ÷ items assigned.',
    },
    counts: 'items',
    table: 'task_figure_fact f',
    base: 'true',
    parts: [
      { code: 'replied', name: { zh: '已答复', en: 'replied' }, where: 'f.replied_at IS NOT NULL' },
      { code: 'not_replied', name: { zh: '未答复', en: 'not replied' }, where: 'f.replied_at IS NULL' },
    ],
    numerator: ['replied'],
  },
  {
    code: 'on_time_rate',
    name: { zh: '按时办结率', en: 'On-time rate' },
    definition: {
      zh: '首次答复日期（本地日期）不晚于当时有效时限的事项 ÷ 已到期事项（已答复的，加上未答复且已过时限的）。当时有效时限：现时限回溯至首次答复之后批准的延期或重设之前。',
      en: 'Items whose first reply was sent (local date) on or before the deadline then in force ÷ items due (replied, plus unreplied past their deadline). The deadline then in force is the current one rewound through the changes decided after the first reply.',
    },
    counts: 'items',
    table: 'task_figure_fact f',
    base: 'f.replied_at IS NOT NULL OR f.deadline < :today',
    parts: [
      { code: 'on_time', name: { zh: '按时答复', en: 'replied on time' }, where: 'f.replied_on_time' },
      { code: 'late', name: { zh: '超时答复', en: 'replied late' }, where: 'NOT f.replied_on_time' },
      {
        code: 'overdue_unreplied',
        name: { zh: '逾期未答复', en: 'overdue, not replied' },
        where: 'f.replied_at IS NULL AND f.deadline < :today',
      },
    ],
    numerator: ['on_time'],
  },
  {
    code: 'overdue',
    name: { zh: '逾期件数', en: 'Overdue items' },
    definition: {
      zh: '办理中、时限已确定且已过时限的事项（红灯）÷ 办理中事项；逾期天数为时限次日至今天的工作日数（节假日日历）。',
      en: 'Items being handled whose deadline (set) has passed — the red light — ÷ items being handled; overdue days are the working days after the deadline up to today (holiday calendar).',
    },
    counts: 'items',
    table: 'task_figure_fact f',
    base: HANDLING,
    parts: [
      { code: 'overdue', name: { zh: '逾期', en: 'overdue' }, where: OVERDUE },
      {
        code: 'in_time',
        name: { zh: '未逾期（含待定时限）', en: 'not overdue (or awaiting a deadline)' },
        where: `f.deadline_pending OR f.deadline >= :today`,
      },
    ],
    numerator: ['overdue'],
  },
  {
    code: 'satisfaction_rate',
    name: { zh: '满意率', en: 'Satisfaction rate' },
    definition: {
      zh: '最后一轮评价中最低评价为满意或基本满意的事项 ÷ 已评价事项（一项有多位提出人时取最低评价）。',
      en: 'Items whose lowest rating in their last rated round is satisfied or basically satisfied ÷ items rated (with several proposers, the lowest rating counts).',
    },
    counts: 'items',
    table: 'task_figure_fact f',
    base: 'f.final_score IS NOT NULL',
    parts: [
      { code: 'satisfied', name: { zh: '满意', en: 'satisfied' }, where: 'f.final_score = 2' },
      {
        code: 'basically_satisfied',
        name: { zh: '基本满意', en: 'basically satisfied' },
        where: 'f.final_score = 1',
      },
      { code: 'unsatisfied', name: { zh: '不满意', en: 'unsatisfied' }, where: 'f.final_score = 0' },
    ],
    numerator: ['satisfied', 'basically_satisfied'],
  },
  {
    code: 'first_time_satisfaction_rate',
    name: { zh: '一次办理满意率', en: 'First-time satisfaction rate' },
    definition: {
      zh: '第一轮（首次办理）评价中最低评价为满意或基本满意的事项 ÷ 第一轮有评价的事项。',
      en: 'Items whose lowest first-round rating is satisfied or basically satisfied ÷ items rated in the first round.',
    },
    counts: 'items',
    table: 'task_figure_fact f',
    base: 'f.first_score IS NOT NULL',
    parts: [
      { code: 'satisfied', name: { zh: '满意', en: 'satisfied' }, where: 'f.first_score = 2' },
      {
        code: 'basically_satisfied',
        name: { zh: '基本满意', en: 'basically satisfied' },
        where: 'f.first_score = 1',
      },
      { code: 'unsatisfied', name: { zh: '不满意', en: 'unsatisfied' }, where: 'f.first_score = 0' },
    ],
    numerator: ['satisfied', 'basically_satisfied'],
  },
  {
    code: 'second_handling',
    name: { zh: '二次办理件数', en: 'Second handlings' },
    definition: {
      zh: '被重新办理过（不满意评价、回头看反弹或督办重办）的事项 ÷ 交办件数。',
      en: 'Items reopened at least once (an unsatisfied rating, a relapse at re-inspection or a reopen) ÷ items assigned.',
    },
    counts: 'items',
    table: 'task_figure_fact f',
    base: 'true',
    parts: [
      { code: 'reopened', name: { zh: '二次办理', en: 'reopened' }, where: 'f.reopen_count > 0' },
      { code: 'once', name: { zh: '一次办理', en: 'handled once' }, where: 'f.reopen_count = 0' },
    ],
    numerator: ['reopened'],
  },
  {
    code: 'resolution_rate',
    name: { zh: '解决率', en: 'Resolution rate' },
    definition: {
      zh: '已销号的 A、B 类事项 ÷ 交办件数（C 类销号为已作说明、不能解决）。',
      en: 'Closed-out items of class A or B ÷ items assigned (a closed class C item was explained, not solved).',
    },
    counts: 'items',
    table: 'task_figure_fact f',
    base: 'true',
    parts: [
      {
        code: 'resolved',
        name: { zh: '已解决', en: 'resolved' },
        where: `f.state = 'closed' AND f.task_class <> 'C'`,
      },
      {
        code: 'explained',
        name: { zh: 'C 类已说明', en: 'class C, explained' },
        where: `f.state = 'closed' AND f.task_class = 'C'`,
      },
      { code: 'open', name: { zh: '未销号', en: 'not closed' }, where: `f.state <> 'closed'` },
    ],
    numerator: ['resolved'],
  },
  {
    code: 'contact_rate',
    name: { zh: '见面率', en: 'Face-to-face contact rate' },
    definition: {
      zh: '办理中与提出人见过面（上门走访、座谈面商、实地调研）的事项 ÷ 交办件数。',
      en: 'Items whose unit met the proposers in person (visit, meeting, site survey) ÷ items assigned.',
    },
    counts: 'items',
    table: 'task_figure_fact f',
    base: 'true',
    parts: [
      { code: 'face_to_face', name: { zh: '已见面', en: 'met in person' }, where: 'f.contact = 2' },
      {
        code: 'other_contact',
        name: { zh: '仅电话或网络联系', en: 'phone or online only' },
        where: 'f.contact = 1',
      },
      { code: 'no_contact', name: { zh: '未联系', en: 'no contact recorded' }, where: 'f.contact = 0' },
    ],
    numerator: ['face_to_face'],
  },
  {
    code: 'classes',
    name: { zh: '分类占比（A/B/C）', en: 'Class shares (A/B/C)' },
    definition: {
      zh: 'A 类当年解决、B 类三年内基本解决、C 类因法律或客观原因不能解决，各占交办件数的比例。',
      en: 'Class A (solvable this year), B (within three years), C (cannot be solved, explained), each as a share of items assigned.',
    },
    counts: 'items',
    table: 'task_figure_fact f',
    base: 'true',
    parts: [
      { code: 'A', name: { zh: 'A 类', en: 'class A' }, where: `f.task_class = 'A'` },
      { code: 'B', name: { zh: 'B 类', en: 'class B' }, where: `f.task_class = 'B'` },
      { code: 'C', name: { zh: 'C 类', en: 'class C' }, where: `f.task_class = 'C'` },
    ],
    numerator: null,
  },
  {
    code: 'co_handled_share',
    name: { zh: '共同办理占比', en: 'Share co-handled' },
    definition: {
      zh: '有配合单位、部门配合共同办理的事项 ÷ 交办件数。',
      en: 'Items with at least one cooperating unit ÷ items assigned.',
    },
    counts: 'items',
    table: 'task_figure_fact f',
    base: 'true',
    parts: [
      { code: 'co_handled', name: { zh: '共同办理', en: 'co-handled' }, where: 'f.cooperating' },
      { code: 'single_unit', name: { zh: '单独办理', en: 'one unit' }, where: 'NOT f.cooperating' },
    ],
    numerator: ['co_handled'],
  },
];
