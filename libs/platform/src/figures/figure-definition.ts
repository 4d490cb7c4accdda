/**
 * How every figure is defined (FIGURES.md is generated from these): a population (the
 * denominator, `base`) split into parts that never overlap and always add up to it, and a
 * numerator that is a union of parts. Each context defines the figures over its own records
 * in SQL predicates on its own table (alias in `table`); insights composes them.
 */
export interface Bilingual {
  zh: string;
  en: string;
}

export interface FigurePart {
  code: string;
  name: Bilingual;
  /** SQL predicate (the placeholder `:today` is the local date of today). */
  where: string;
}

export interface FigureDefinition {
  code: string;
  name: Bilingual;
  definition: Bilingual;
  /** What is counted: task items, inputs or person-times (invitations). */
  counts: 'items' | 'inputs' | 'person_times';
  /** `table alias` the predicates are written on. */
  table: string;
  /** The denominator: every counted row also satisfies the filters (FIGURES.md lists them). */
  base: string;
  /** A partition of `base`. */
  parts: FigurePart[];
  /** Part codes whose union is the numerator; null for a breakdown (shares only). */
  numerator: string[] | null;
}

/** The filters every figure takes (each context applies those that concern its records). */
export interface FigureFilter {
  from?: Date;
  to?: Date;
  meetingId?: string;
  /** As asked (the meetings context applies them to its own tables directly). */
  meetingKind?: string;
  category?: string;
  constituency?: string;
  /** Resolved by the meetings context from meeting kind / agenda category. */
  meetingIds?: string[];
  agendaItemIds?: string[];
  unitId?: string;
  taskClass?: string;
  /** Resolved by the directory from a constituency (inputs and person-times; task items read the constituency). */
  participantIds?: string[];
}

/** Counts of one figure: the denominator and each part (they add up to it). */
export interface FigureTally {
  total: number;
  parts: Record<string, number>;
}

/** The SQL of a definition's numerator, denominator or part, for documents and drill-downs. */
export function partPredicate(def: FigureDefinition, part: string): string | null {
  if (part === 'denominator') return 'true';
  if (part === 'numerator')
    return def.numerator
      ? def.numerator.map((c) => `(${def.parts.find((p) => p.code === c)?.where ?? 'false'})`).join(' OR ')
      : null;
  return def.parts.find((p) => p.code === part)?.where ?? null;
}

/** The select list counting a figure's total and each part (`total`, `p0`, `p1`, …) in one scan. */
export function tallyColumns(def: FigureDefinition): string {
  const parts = def.parts.map((p, i) => `count(*) FILTER (WHERE ${p.where}) AS p${i}`);
  return ['count(*) AS total', ...parts].join(', ');
}

/** The tally of `def` from a row selected with `tallyColumns`. */
export function tallyOf(def: FigureDefinition, row: Record<string, string> | undefined): FigureTally {
  return {
    total: Number(row?.total ?? 0),
    parts: Object.fromEntries(def.parts.map((p, i) => [p.code, Number(row?.[`p${i}`] ?? 0)])),
  };
}
