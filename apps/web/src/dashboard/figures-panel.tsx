import { useState } from 'react';
import type { FigureCode, FigureRow, Rest } from '../api/rest';
import type { Figure, FigureFilter, FiguresOverview } from '../api/types';
import { useLang } from '../i18n';
import { label } from '../labels';
import { ErrorNote, useAction } from '../ui/session';
import { bi, pct } from './format';

/** A figure's headline: its rate, or for a breakdown its total. */
const headline = (f: Figure): string => (f.numerator === null ? String(f.total) : pct(f.value));

/**
 * The figures of FIGURES.md as the api computes them (`GET /api/figures`, live from
 * `figures.updated`): one tile per figure; choosing one shows its parts, and a part drills down
 * to the rows behind it (`GET /api/figures/{code}/items`, page by page).
 */
export function FigureTiles(props: {
  overview: FiguresOverview;
  selected: string | null;
  onSelect: (code: string | null) => void;
}) {
  const { lang, t } = useLang();
  return (
    <section aria-label={t('指标', 'Figures')} className="figures">
      {props.overview.figures.map((f) => (
        <button
          key={f.code}
          type="button"
          className="figure"
          aria-pressed={props.selected === f.code}
          title={bi(lang, f.definition)}
          onClick={() => props.onSelect(props.selected === f.code ? null : f.code)}
        >
          <span>{bi(lang, f.name)}</span>
          <strong data-testid={`figure-${f.code}`}>{headline(f)}</strong>
          <small>
            {f.numerator === null
              ? f.parts.map((p) => `${bi(lang, p.name)} ${p.count}`).join(' · ')
              : `${f.numerator} / ${f.total}`}
          </small>
        </button>
      ))}
    </section>
  );
}

export function FigureDrill(props: {
  rest: Rest;
  figure: Figure;
  filter: FigureFilter;
  onItem: (taskId: string) => void;
}) {
  const { figure: f, rest } = props;
  const { lang, t } = useLang();
  const [part, setPart] = useState<string | null>(null);
  const [rows, setRows] = useState<FigureRow[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const open = (code: string, after?: string) =>
    void run(async () => {
      const page = await rest.figureItems(f.code as FigureCode, code, props.filter, after);
      setPart(code);
      setRows((prev) => (after ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    });
  const partName = (code: string): string => {
    const p = f.parts.find((x) => x.code === code);
    if (p) return bi(lang, p.name);
    return code === 'numerator' ? t('分子', 'numerator') : t('全部', 'all');
  };
  return (
    <section className="card" aria-labelledby="drill-title" data-testid="figure-drill">
      <h2 id="drill-title">
        {bi(lang, f.name)} · {headline(f)}
      </h2>
      <p className="muted">{bi(lang, f.definition)}</p>
      <table>
        <caption className="sr-only">{t('各组成部分', 'Parts')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('组成', 'Part')}</th>
            <th scope="col">{t('数量', 'Count')}</th>
            <th scope="col">{t('占比', 'Share')}</th>
          </tr>
        </thead>
        <tbody>
          {f.parts.map((p) => (
            <tr key={p.code}>
              <td>
                <button
                  type="button"
                  className="secondary"
                  aria-pressed={part === p.code}
                  data-testid={`part-${f.code}-${p.code}`}
                  disabled={busy}
                  onClick={() => open(p.code)}
                >
                  {bi(lang, p.name)}
                </button>
              </td>
              <td data-testid={`count-${f.code}-${p.code}`}>{p.count}</td>
              <td>{pct(p.share)}</td>
            </tr>
          ))}
          <tr>
            <td>
              <button type="button" className="secondary" disabled={busy} onClick={() => open('denominator')}>
                {t('全部', 'All')}
              </button>
            </td>
            <td>{f.total}</td>
            <td>{f.total ? '100%' : '—'}</td>
          </tr>
        </tbody>
      </table>
      <ErrorNote error={error} />
      {part !== null && (
        <>
          <h3>
            {partName(part)} ({rows.length})
          </h3>
          {rows.length === 0 && <p className="muted">{t('无', 'None')}</p>}
          <ul>
            {rows.map((r, i) => (
              <li key={r.id ?? r.invitationId ?? i} data-testid="drill-row">
                {r.kind === 'item' && r.id ? (
                  <button type="button" className="secondary" onClick={() => props.onItem(r.id as string)}>
                    {(r.problem ?? '').slice(0, 40)} · {r.leadUnit} ·{' '}
                    {r.state ? label(lang, 'taskState', r.state) : ''}
                  </button>
                ) : r.kind === 'input' ? (
                  <span>{(r.text ?? '').slice(0, 60)}</span>
                ) : (
                  <span>
                    {r.participantName} · {r.meetingTitle} ·{' '}
                    {r.status ? label(lang, 'invitationStatus', r.status) : ''}
                  </span>
                )}
              </li>
            ))}
          </ul>
          {cursor && (
            <button type="button" className="secondary" disabled={busy} onClick={() => open(part, cursor)}>
              {t('更多', 'More')}
            </button>
          )}
        </>
      )}
    </section>
  );
}
