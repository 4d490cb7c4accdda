import { INPUT_FIGURES } from '@liexi/live';
import { PERSON_TIME_FIGURES } from '@liexi/meetings';
import { type FigureDefinition, partPredicate } from '@liexi/platform';
import { OVERDUE_DAYS_DOC, TASK_FIGURES } from '@liexi/handling';

/** Which filters each kind of figure honours (the rest do not apply to its records). */
export const FILTERS_APPLIED: Record<FigureDefinition['counts'], string[]> = {
  items: ['from', 'to', 'meetingId', 'meetingKind', 'unitId', 'taskClass', 'category', 'constituency'],
  inputs: ['from', 'to', 'meetingId', 'meetingKind', 'category', 'constituency'],
  person_times: ['from', 'to', 'meetingId', 'meetingKind', 'category', 'constituency'],
};

const FILTER_TEXT: Record<FigureDefinition['counts'], string> = {
  items:
    'period on the first assignment (`assigned_at`); meeting and meeting kind of the item’s meeting; lead unit; class; category of its agenda item; constituency of any of its proposers (`task_proposer.constituency`, as bits in `f.constituencies`: `(f.constituencies & <bit>) <> 0`). Only assigned items (`f.assigned_at IS NOT NULL`).',
  inputs:
    'period on when the input was raised; meeting and meeting kind; category of its agenda item; constituency of its author. Unit and class do not apply.',
  person_times:
    'period on the meeting start; meeting and meeting kind; meetings with an agenda item of the category; constituency as invited. Unit and class do not apply.',
};

/** Every figure the product shows, defined once (each over its own context's records). */
export const FIGURES: FigureDefinition[] = [...TASK_FIGURES, ...INPUT_FIGURES, ...PERSON_TIME_FIGURES];

export function figureDefinition(code: string): FigureDefinition | undefined {
  return FIGURES.find((f) => f.code === code);
}

/** FIGURES.md, generated from the definitions (a test keeps the file equal to this). */
export function figuresMarkdown(): string {
  const lines = [
    '# Figures (指标)',
    '',
    'Generated from the figure definitions (`libs/insights/src/figures.catalog.ts`, which gathers',
    '`TASK_FIGURES` of handling, `INPUT_FIGURES` of live and `PERSON_TIME_FIGURES` of meetings);',
    '`test/figures-doc.int-spec.ts` fails when this file and the code differ. Regenerate with',
    '`npm run figures:doc`.',
    '',
    'Every figure is a population (the **denominator**) split into **parts** that never overlap and',
    'always add up to it; the **numerator** is a union of parts (a breakdown has none: its parts are',
    'shares). Every number is computed from the records on request (`GET /api/figures`), and every',
    'part drills down to the rows behind it (`GET /api/figures/{code}/items?part=…`, paginated).',
    'Rates are numerator ÷ denominator, rounded to 4 decimals, null when the denominator is 0.',
    '`:today` is today’s date in `APP_TIME_ZONE`.',
    '',
    'Task-item figures read `task_figure_fact f`: one row per item, derived from the item’s records',
    '(`task_item`, `task_reply`, `task_evaluation`, `task_deadline_change`, `task_cooperating_unit`,',
    '`task_contact`) by `REFRESH_FACTS_SQL` (`libs/handling/src/task-figure-facts.ts`) in the',
    'transaction of every change of the item, so it never lags them. Ratings score 2 satisfied, 1',
    'basically satisfied, 0 unsatisfied; an item with several proposers takes its lowest rating.',
    '',
    'At scale the same predicates are read from `task_figure_summary`',
    '(`libs/handling/src/task-figure-summary.ts`): the facts counted per UTC day of assignment,',
    'meeting, agenda item, class and proposers’ constituencies — for items replied to and no longer',
    'handled, the count of each denominator and part evaluated when written; for the others, grouped',
    'also by the columns the predicates with `:today` read, which are evaluated on request. It is',
    'kept in the statement that re-derives the facts (rows are only added; compaction folds them)',
    'and rebuilt at start when the definitions change. A request without a lead-unit filter reads the',
    'whole UTC days of its period from it and the hours at the period’s ends from the facts; a',
    'lead-unit filter, the per-unit ranking, drill-downs and the ledger read the facts. Both give the',
    'same counts (`test/figures-seed001.e2e-spec.ts`).',
    '',
  ];
  for (const f of FIGURES) {
    lines.push(`## ${f.name.zh} — ${f.name.en} (\`${f.code}\`)`, '');
    lines.push(f.definition.zh, '', f.definition.en, '');
    lines.push(`- Counts: ${f.counts.replace('_', '-')}, from \`${f.table}\``);
    lines.push(`- Filters: ${FILTER_TEXT[f.counts]}`);
    lines.push(`- Denominator: \`${f.base}\``);
    lines.push(
      `- Numerator: ${f.numerator ? `${f.numerator.map((c) => `\`${c}\``).join(' + ')} — \`${partPredicate(f, 'numerator') ?? ''}\`` : '(breakdown: shares of the parts)'}`,
    );
    lines.push('', '| part | 名称 | name | SQL |', '| --- | --- | --- | --- |');
    for (const p of f.parts)
      lines.push(`| \`${p.code}\` | ${p.name.zh} | ${p.name.en} | \`${p.where.replaceAll('|', '\\|')}\` |`);
    lines.push('', 'SQL (one statement counts every figure of its table at once):', '', '```sql');
    lines.push(
      `SELECT count(*) FILTER (WHERE ${f.base}) AS denominator,`,
      ...f.parts.map(
        (p, i) =>
          `       count(*) FILTER (WHERE (${f.base}) AND (${p.where})) AS ${p.code}${i < f.parts.length - 1 ? ',' : ''}`,
      ),
      `FROM ${f.table}`,
      `WHERE <filters>;`,
      '```',
      '',
    );
    if (f.code === 'overdue') lines.push(OVERDUE_DAYS_DOC, '');
  }
  return `${lines.join('\n')}\n`;
}
