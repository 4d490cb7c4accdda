import { createHash } from 'node:crypto';
import { HANDLING, TASK_FIGURES } from './task-figures';

/**
 * `task_figure_summary`: the figure facts of assigned items counted per group, so that a figure
 * over a million items reads a few thousand rows. Every row has the key — UTC day of assignment,
 * meeting, agenda item, class and the proposers' constituencies — which the filters other than
 * the lead unit read, and `counts[i]`: how many of its items satisfy `SUMMARY_COLUMNS[i]` (a
 * figure's denominator or one of its parts), evaluated when they are written. That is all a row
 * needs unless a predicate depends on today (`:today`: overdue, due): rows are of two kinds,
 *
 * - **settled** (`open` false): items replied to and no longer handled (`SETTLED`), for which
 *   every predicate is decided without today (`:today` is written as infinity and never read);
 * - **open**: the others, grouped also by the columns the today-dependent predicates read
 *   (`OPEN_COLUMNS`, with the facts' names, null on settled rows), counted in `n`, so that those
 *   predicates are evaluated on request with today's date, as on the facts.
 *
 * Writers only ever insert: each change of a fact adds its group's row minus the old fact and
 * plus the new one (`summaryDeltaSql`), so two writers never wait for each other's summary row;
 * `SUMMARY_COMPACT_SQL` folds the rows of a group into one now and then. Reading sums the rows,
 * which gives the same before and after. Never written any other way.
 */

/** One entry of a settled row's `counts`: a figure's denominator (`part` null) or one part. */
export interface SummaryColumn {
  code: string;
  part: string | null;
  /** On the facts `f` (or rows with the facts' column names). */
  predicate: string;
}

export const SUMMARY_COLUMNS: readonly SummaryColumn[] = TASK_FIGURES.flatMap((d) => [
  { code: d.code, part: null, predicate: d.base },
  ...d.parts.map((p) => ({ code: d.code, part: p.code, predicate: `(${d.base}) AND (${p.where})` })),
]);

/** Items whose figures no longer depend on today: replied to and not (again) being handled. */
export const SETTLED = `f.replied_at IS NOT NULL AND NOT (${HANDLING})`;

/** The key of every row, computed from the facts `f`. */
const KEY: readonly (readonly [string, string])[] = [
  ['assigned_day', `(f.assigned_at AT TIME ZONE 'UTC')::date`],
  ['meeting_id', 'f.meeting_id'],
  ['agenda_item_id', 'f.agenda_item_id'],
  ['task_class', 'f.task_class'],
  ['constituencies', 'f.constituencies'],
];

/** Whether `SUMMARY_COLUMNS[i]` depends on today (evaluated on request for open rows). */
export const BY_TODAY: readonly boolean[] = SUMMARY_COLUMNS.map((c) => c.predicate.includes(':today'));

/** What the predicates tell apart of a fact column, when less than its value. */
const REDUCED: Record<string, string> = {
  replied_at: `CASE WHEN f.replied_at IS NULL THEN NULL ELSE 'epoch'::timestamptz END`,
  reopen_count: 'least(f.reopen_count, 1)',
};

/** The columns of open rows (null on settled ones): what the today-dependent predicates read. */
export const OPEN_COLUMNS: readonly (readonly [string, string])[] = [
  ...new Set(
    SUMMARY_COLUMNS.filter((_, i) => BY_TODAY[i]).flatMap((c) =>
      [...c.predicate.matchAll(/\bf\.([a-z_]+)/g)].map((m) => m[1]),
    ),
  ),
]
  .filter((c) => !KEY.some(([k]) => k === c))
  .sort()
  .map((c) => [c, REDUCED[c] ?? `f.${c}`] as const);

/** Changes whenever what the rows hold changes: a summary written otherwise is rebuilt (at start). */
export const SUMMARY_LAYOUT = createHash('sha256')
  .update(JSON.stringify({ SUMMARY_COLUMNS, SETTLED, KEY, OPEN_COLUMNS }))
  .digest('hex')
  .slice(0, 32);

const GROUP = ['open', ...KEY.map(([c]) => c), ...OPEN_COLUMNS.map(([c]) => c)];
const COLUMNS = `${GROUP.join(', ')}, n, counts`;
const counts = (each: (i: number) => string): string => SUMMARY_COLUMNS.map((_, i) => each(i)).join(', ');
/** Keeps a group's rows unless they add up to nothing. */
const HAVING = (n: string, c: (i: number) => string): string =>
  `HAVING ${n} <> 0 OR ${counts((i) => `${c(i)} <> 0`).replaceAll(', ', ' OR ')}`;

/**
 * Summary rows from signed facts: `source` yields `sign` (+1 or -1) and the facts' columns as
 * `f`. Predicates are evaluated with `:today` as infinity: what depends on it is read from the
 * open rows' columns instead.
 */
function fromSignedFacts(source: string): string {
  const settled = `(${SETTLED})`;
  return `INSERT INTO task_figure_summary (${COLUMNS})
SELECT ${GROUP.map((c) => `x.${c}`).join(', ')}, sum(x.sign),
  ARRAY[${counts((i) => `sum(x.sign * x.c${i})`)}]::int[]
FROM (
  SELECT f.sign, NOT ${settled} AS open, ${KEY.map(([c, e]) => `${e} AS ${c}`).join(', ')},
    ${OPEN_COLUMNS.map(([c, e]) => `CASE WHEN ${settled} THEN NULL ELSE ${e} END AS ${c}`).join(', ')},
    ${SUMMARY_COLUMNS.map((s, i) => `CASE WHEN ${s.predicate.replaceAll(':today', `'infinity'::date`)} THEN 1 ELSE 0 END AS c${i}`).join(', ')}
  FROM (${source}) f WHERE f.assigned_at IS NOT NULL
) x
GROUP BY ${GROUP.map((c) => `x.${c}`).join(', ')}
${HAVING('sum(x.sign)', (i) => `sum(x.sign * x.c${i})`)}`;
}

/**
 * The facts re-derived and the summary moved by the difference, in one statement (one
 * snapshot): `old` are the facts before, `refreshed` the facts `refresh` returns. `refresh` is
 * REFRESH_FACTS_SQL with `RETURNING f.*`; same parameters (`$1` the item ids).
 */
export function summaryDeltaSql(refresh: string): string {
  return `WITH old AS (SELECT f.* FROM task_figure_fact f WHERE f.task_item_id = ANY($1::uuid[])),
refreshed AS (${refresh}),
signed AS (SELECT -1 AS sign, o.* FROM old o UNION ALL SELECT 1 AS sign, r.* FROM refreshed r)
${fromSignedFacts('SELECT * FROM signed')}
RETURNING 1`;
}

/**
 * The facts of the items with `$1 < task_item_id <= $2` (either end null: open) counted into the
 * summary, for a rebuild (after deleting every row, in the same snapshot).
 */
export const SUMMARY_REBUILD_RANGE_SQL = fromSignedFacts(
  `SELECT 1 AS sign, f.* FROM task_figure_fact f
   WHERE ($1::uuid IS NULL OR f.task_item_id > $1) AND ($2::uuid IS NULL OR f.task_item_id <= $2)`,
);

/**
 * The rows of each group folded into one, in one statement: rows inserted meanwhile are not in
 * its snapshot, so they are neither deleted nor counted, and stay as they are.
 */
export const SUMMARY_COMPACT_SQL = `WITH gone AS (DELETE FROM task_figure_summary RETURNING *)
INSERT INTO task_figure_summary (${COLUMNS})
SELECT ${GROUP.map((c) => `x.${c}`).join(', ')}, sum(x.n),
  ARRAY[${counts((i) => `sum(x.counts[${i + 1}])`)}]::int[]
FROM gone x
GROUP BY ${GROUP.map((c) => `x.${c}`).join(', ')}
${HAVING('sum(x.n)', (i) => `sum(x.counts[${i + 1}])`)}`;
