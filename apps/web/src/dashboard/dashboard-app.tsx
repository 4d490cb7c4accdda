import { MEETING_KINDS } from '@liexi/contracts';
import { useCallback, useEffect, useState } from 'react';
import type {
  FigureFilter,
  FiguresOverview,
  HistoryEntry,
  LateUnit,
  LedgerRow,
  Ranking,
  SupervisionDashboard,
  TaskItem,
  Unit,
} from '../api/types';
import { useLang } from '../i18n';
import { label } from '../labels';
import { useSupervision } from '../live/use-supervision';
import { BarChart } from '../ui/bar-chart';
import { ConnectionBadge } from '../ui/connection-badge';
import { ErrorNote, LoginForm, useAction, useSession, WhoAmI } from '../ui/session';
import { FigureDrill, FigureTiles } from './figures-panel';
import { save } from './format';
import { HistoryPanel } from './history-panel';
import { RankingsPanel } from './rankings-panel';

/**
 * 督查看板: the figures, rankings and lights as the insights API computes them — nothing is
 * counted here. The overview arrives live as `figures.updated` on `/supervision` (fetched once
 * after connecting, and again under filters); the rest is fetched again when the `supervision`
 * channel reports a change. Every figure drills down to its rows, every item to its history.
 */
export function DashboardApp() {
  const { lang, t } = useLang();
  const { session, rest, signIn, signOut } = useSession('dashboard');
  const allowed = session && ['supervisor', 'leader', 'secretariat'].includes(session.actor.role);
  const { link, changes, figures: pushed } = useSupervision(allowed ? session.accessToken : null);
  const live = link === 'live';
  const [filter, setFilter] = useState<FigureFilter>({});
  const filtered = Object.keys(filter).length > 0;
  /** The last overview fetched, and the push it was fetched after (a newer push replaces it). */
  const [fetched, setFetched] = useState<{ overview: FiguresOverview; after: FiguresOverview | null } | null>(
    null,
  );
  const [board, setBoard] = useState<SupervisionDashboard | null>(null);
  const [ranking, setRanking] = useState<Ranking | null>(null);
  const [late, setLate] = useState<LateUnit[]>([]);
  const [ledger, setLedger] = useState<LedgerRow[]>([]);
  const [units, setUnits] = useState<Unit[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [drill, setDrill] = useState<{ item: TaskItem; entries: HistoryEntry[] } | null>(null);
  const { busy, error, run } = useAction();

  const loadFigures = useCallback(
    (after: FiguresOverview | null) =>
      void run(async () => setFetched({ overview: await rest.figures(filter), after })),
    [rest, run, filter],
  );
  const loadOthers = useCallback(
    () =>
      void run(async () => {
        const [b, r, l, g] = await Promise.all([
          rest.dashboard(),
          rest.rankings(filter),
          rest.lateUnits(filter),
          rest.ledger(filter.meetingId),
        ]);
        setBoard(b);
        setRanking(r);
        setLate(l);
        setLedger(g);
      }),
    [rest, run, filter],
  );
  // Once after connecting (and reconnecting), and whenever the filters change.
  useEffect(() => {
    if (allowed && live) loadFigures(null);
  }, [allowed, live, loadFigures]);
  // Under filters a push only says the figures moved: fetch them again with the filters.
  useEffect(() => {
    if (allowed && filtered && pushed) loadFigures(pushed);
  }, [allowed, filtered, pushed, loadFigures]);
  useEffect(() => {
    if (allowed) loadOthers();
  }, [allowed, loadOthers, changes, pushed]);
  useEffect(() => {
    if (allowed) void run(async () => setUnits(await rest.units()));
  }, [allowed, rest, run]);

  if (!session || !allowed) {
    return (
      <main aria-label={t('督查看板', 'Supervision dashboard')}>
        <h1>{t('督查看板', 'Supervision dashboard')}</h1>
        {session && (
          <p className="error">{t('此账号无权查看看板', 'This account may not see the dashboard')}</p>
        )}
        <LoginForm
          onSession={signIn}
          hint={t('督查室、领导与秘书处使用', 'For supervisors, leaders and the secretariat')}
        />
      </main>
    );
  }
  // Without filters the pushed overview is the figures; a push newer than the fetch replaces it.
  const overview = !filtered && pushed && pushed !== fetched?.after ? pushed : (fetched?.overview ?? null);
  const figure = overview?.figures.find((f) => f.code === selected) ?? null;
  const openHistory = (taskId: string) =>
    void run(async () => {
      const [item, entries] = await Promise.all([rest.task(taskId), rest.history(taskId)]);
      setDrill({ item, entries });
    });
  const setField = (k: keyof FigureFilter, v: string) => {
    const next: Record<string, string> = { ...(filter as Record<string, string>) };
    if (v) next[k] = v;
    else delete next[k];
    setFilter(next);
  };
  return (
    <main aria-label={t('督查看板', 'Supervision dashboard')}>
      <div className="toolbar">
        <h1>{t('督查看板', 'Supervision dashboard')}</h1>
        <ConnectionBadge link={link} pending={0} />
        <WhoAmI session={session} onSignOut={signOut} />
      </div>
      <ErrorNote error={error} />
      <section className="card filters" aria-label={t('筛选', 'Filters')}>
        <label>
          {t('起始日期', 'From')}
          <input type="date" value={filter.from ?? ''} onChange={(e) => setField('from', e.target.value)} />
        </label>
        <label>
          {t('截止日期（不含）', 'To (exclusive)')}
          <input type="date" value={filter.to ?? ''} onChange={(e) => setField('to', e.target.value)} />
        </label>
        <label>
          {t('会议类型', 'Meeting kind')}
          <select value={filter.meetingKind ?? ''} onChange={(e) => setField('meetingKind', e.target.value)}>
            <option value="">{t('全部', 'All')}</option>
            {MEETING_KINDS.map((k) => (
              <option key={k} value={k}>
                {label(lang, 'meetingKind', k)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('牵头单位', 'Lead unit')}
          <select value={filter.unitId ?? ''} onChange={(e) => setField('unitId', e.target.value)}>
            <option value="">{t('全部', 'All')}</option>
            {units.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('分类', 'Class')}
          <select value={filter.taskClass ?? ''} onChange={(e) => setField('taskClass', e.target.value)}>
            <option value="">{t('全部', 'All')}</option>
            {(['A', 'B', 'C'] as const).map((c) => (
              <option key={c} value={c}>
                {t(`${c} 类`, `Class ${c}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="secondary" disabled={!filtered} onClick={() => setFilter({})}>
          {t('清除筛选', 'Clear filters')}
        </button>
      </section>
      {overview && <FigureTiles overview={overview} selected={selected} onSelect={setSelected} />}
      {figure && (
        <FigureDrill
          key={`${figure.code} ${JSON.stringify(filter)}`}
          rest={rest}
          figure={figure}
          filter={filter}
          onItem={openHistory}
        />
      )}
      {drill && <HistoryPanel item={drill.item} entries={drill.entries} onClose={() => setDrill(null)} />}
      {board && (
        <div className="cols">
          <section className="card" aria-label={t('亮灯情况', 'Lights')}>
            <div className="figures">
              {(['green', 'yellow', 'red'] as const).map((l) => (
                <div key={l} className="figure">
                  <span>{label(lang, 'light', l)}</span>
                  <strong data-testid={`figure-${l}`}>{board.lights[l]}</strong>
                </div>
              ))}
            </div>
            <BarChart
              title={t('亮灯情况', 'Lights')}
              bars={(['green', 'yellow', 'red'] as const).map((l) => ({
                label: label(lang, 'light', l),
                value: board.lights[l],
                color: { green: '#15803d', yellow: '#b45309', red: '#b91c1c' }[l],
              }))}
            />
          </section>
          <section className="card" aria-labelledby="overdue-title">
            <h2 id="overdue-title">{t('逾期事项', 'Overdue items')}</h2>
            {board.overdue.length === 0 && <p className="muted">{t('无', 'None')}</p>}
            <ul>
              {board.overdue.map((o) => (
                <li key={o.id}>
                  {o.problem} · {t('逾期', 'overdue')} {o.workingDaysOverdue} {t('个工作日', 'working days')}
                </li>
              ))}
            </ul>
          </section>
        </div>
      )}
      {ranking && <RankingsPanel ranking={ranking} late={late} />}
      <section className="card" aria-labelledby="ledger-title">
        <h2 id="ledger-title">{t('台账', 'Ledger')}</h2>
        <button
          type="button"
          className="secondary"
          disabled={busy}
          data-testid="download-ledger"
          onClick={() => void run(async () => save(await rest.ledgerXlsx(filter)))}
        >
          {t('下载台账（Excel）', 'Download the ledger (Excel)')}
        </button>
        <button
          type="button"
          className="secondary"
          disabled={busy}
          data-testid="download-report"
          onClick={() => void run(async () => save(await rest.reportPdf(filter)))}
        >
          {t('下载办理情况报告（PDF）', 'Download the handling report (PDF)')}
        </button>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('问题', 'Problem')}</th>
              <th scope="col">{t('牵头单位', 'Lead unit')}</th>
              <th scope="col">{t('时限', 'Deadline')}</th>
              <th scope="col">{t('状态', 'State')}</th>
              <th scope="col">{t('评价', 'Ratings')}</th>
            </tr>
          </thead>
          <tbody>
            {ledger.map((r) => (
              <tr key={r.taskId} data-testid="ledger-row">
                <td>
                  <button type="button" className="secondary" onClick={() => openHistory(r.taskId)}>
                    {r.problem.slice(0, 40)}
                  </button>
                </td>
                <td>{r.leadUnit}</td>
                <td>{r.deadline}</td>
                <td data-testid="ledger-state">{label(lang, 'taskState', r.state)}</td>
                <td>{r.ratings.map((x) => label(lang, 'rating', x)).join('、')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </main>
  );
}
