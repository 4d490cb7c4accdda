/* Figures per scenario, per server and per round; the final table and the JSON file. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fmt, type Spread, spread } from './stats';

export const COLUMNS = ['product', 'bare', 'bare-batched'] as const;
export type Column = (typeof COLUMNS)[number];

export interface Figure {
  scenario: string;
  figure: string;
  unit: string;
  /** Per column, one value per round (null: that round produced none). */
  values: Record<Column, (number | null)[]>;
}

export interface RawEntry {
  scenario: string;
  round: number;
  target: string;
  data: unknown;
}

export class Report {
  readonly figures: Figure[] = [];
  readonly raw: RawEntry[] = [];
  readonly notes: string[] = [];
  private readonly index = new Map<string, Figure>();

  constructor(readonly rounds: number) {}

  /** Declares a figure (fixes its place in the table) and returns it. */
  declare(scenario: string, figure: string, unit: string): Figure {
    const key = `${scenario}\u0000${figure}`;
    let f = this.index.get(key);
    if (!f) {
      const empty = (): (number | null)[] => Array.from({ length: this.rounds }, () => null);
      f = { scenario, figure, unit, values: { product: empty(), bare: empty(), 'bare-batched': empty() } };
      this.index.set(key, f);
      this.figures.push(f);
    }
    return f;
  }

  record(scenario: string, figure: string, unit: string, column: Column, round: number, value: number): void {
    this.declare(scenario, figure, unit).values[column][round] = Number.isFinite(value) ? value : null;
  }

  addRaw(entry: RawEntry): void {
    this.raw.push(entry);
  }

  summary(f: Figure, c: Column): Spread | null {
    return spread(f.values[c].filter((v): v is number => v !== null));
  }

  private cell(f: Figure, c: Column): string {
    const s = this.summary(f, c);
    if (!s) return '—';
    const body =
      s.n > 1 && s.min !== s.max ? `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})` : fmt(s.median);
    return s.n < this.rounds ? `${body} [${s.n}/${this.rounds}]` : body;
  }

  private ratio(f: Figure, c: Column): string {
    const p = this.summary(f, 'product');
    const b = this.summary(f, c);
    if (!p || !b || b.median === 0) return '';
    return `×${fmt(p.median / b.median)}`;
  }

  table(): string {
    const hasBatched = this.figures.some((f) => f.values['bare-batched'].some((v) => v !== null));
    const head = ['scenario', 'figure', 'product', 'bare', 'product/bare'];
    if (hasBatched) head.push('bare-batched', 'product/batched');
    const rows = this.figures
      .filter((f) => COLUMNS.some((c) => f.values[c].some((v) => v !== null)))
      .map((f) => {
        const row = [
          f.scenario,
          `${f.figure}${f.unit ? ` (${f.unit})` : ''}`,
          this.cell(f, 'product'),
          this.cell(f, 'bare'),
          this.ratio(f, 'bare'),
        ];
        if (hasBatched) {
          const has = f.values['bare-batched'].some((v) => v !== null);
          row.push(has ? this.cell(f, 'bare-batched') : '', has ? this.ratio(f, 'bare-batched') : '');
        }
        return row;
      });
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]): string =>
      cells
        .map((c, i) => c.padEnd(widths[i]))
        .join(' | ')
        .trimEnd();
    const out = [line(head), widths.map((w) => '-'.repeat(w)).join('-|-')];
    let last = '';
    for (const r of rows) {
      out.push(line([r[0] === last ? '' : r[0], ...r.slice(1)]));
      last = r[0];
    }
    return out.join('\n');
  }

  write(file: string, meta: Record<string, unknown>): void {
    mkdirSync(dirname(file), { recursive: true });
    const figures = this.figures.map((f) => ({
      ...f,
      summary: Object.fromEntries(COLUMNS.map((c) => [c, this.summary(f, c)])),
    }));
    writeFileSync(
      file,
      `${JSON.stringify({ ...meta, notes: this.notes, figures, raw: this.raw }, null, 1)}\n`,
    );
  }
}
