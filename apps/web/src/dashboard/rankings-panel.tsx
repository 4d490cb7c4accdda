import type { LateUnit, Ranking } from '../api/types';
import { useLang } from '../i18n';
import { BarChart } from '../ui/bar-chart';
import { bi, isRate, pct } from './format';

/**
 * 排名通报 (`GET /api/rankings`): units ranked by the criteria in their order of precedence, as
 * the api names them; a chart of each unit's items and its first criterion; and the late units
 * for a progress meeting (`GET /api/rankings/late-units`).
 */
export function RankingsPanel({ ranking, late }: { ranking: Ranking; late: LateUnit[] }) {
  const { lang, t } = useLang();
  const first = ranking.criteria[0];
  const value = (code: string, v: number | null | undefined): string =>
    v === null || v === undefined ? '—' : isRate(code) ? pct(v) : String(v);
  return (
    <>
      <div className="cols">
        <section className="card">
          <BarChart
            title={t('各单位交办件数', 'Items assigned per unit')}
            bars={ranking.items.map((r) => ({ label: r.unitName, value: r.assigned }))}
          />
          {first && isRate(first.code) && (
            <BarChart
              title={`${t('各单位', 'Per unit: ')}${bi(lang, first.name)}`}
              unit="%"
              bars={ranking.items.map((r) => ({
                label: r.unitName,
                value: Math.round((r.values[first.code] ?? 0) * 1000) / 10,
                color: '#15803d',
              }))}
            />
          )}
        </section>
        <section className="card" aria-labelledby="late-title">
          <h2 id="late-title">{t('逾期单位', 'Late units')}</h2>
          {late.length === 0 && <p className="muted">{t('无', 'None')}</p>}
          <ul>
            {late.map((u) => (
              <li key={u.unitId} data-testid="late-unit">
                {u.unitName} · {t('逾期', 'overdue')} {u.overdue} {t('件', 'items')}，{u.overdueDays}{' '}
                {t('个工作日', 'working days')} · {t('办理中', 'handling')} {u.handling}
              </li>
            ))}
          </ul>
        </section>
      </div>
      <section className="card" aria-labelledby="ranking-title">
        <h2 id="ranking-title">{t('单位排名', 'Unit ranking')}</h2>
        <p className="muted" data-testid="ranking-criteria">
          {t('排序依据（依次）：', 'Ranked by, in order: ')}
          {ranking.criteria
            .map((c) =>
              t(
                `${c.name.zh}（${c.better === 'higher' ? '越高越好' : '越低越好'}）`,
                `${c.name.en} (${c.better} is better)`,
              ),
            )
            .join(t('，', ', '))}
        </p>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('名次', 'Rank')}</th>
              <th scope="col">{t('单位', 'Unit')}</th>
              <th scope="col">{t('交办', 'Assigned')}</th>
              {ranking.criteria.map((c) => (
                <th key={c.code} scope="col" title={c.definition}>
                  {bi(lang, c.name)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {ranking.items.map((r) => (
              <tr key={r.unitId} data-testid="ranking-row">
                <td>{r.rank}</td>
                <td>{r.unitName}</td>
                <td>{r.assigned}</td>
                {ranking.criteria.map((c) => (
                  <td key={c.code}>{value(c.code, r.values[c.code])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
