import { useCallback, useEffect, useState } from 'react';
import type { AttendanceFigures, LedgerRow, SupervisionDashboard, TaskItem } from '../api/types';
import { useLang } from '../i18n';
import { label } from '../labels';
import { useSupervision } from '../live/use-supervision';
import { BarChart } from '../ui/bar-chart';
import { ConnectionBadge } from '../ui/connection-badge';
import { ErrorNote, LoginForm, useAction, useSession, WhoAmI } from '../ui/session';
import { type InsightsFigures, insightsExports, loadInsightsFigures } from './insights-hooks';
import { ledgerCsv } from './ledger-csv';

/**
 * 督查看板: lights, counts per unit, overdue items, the ledger with drill-down to an item's history,
 * attendance figures — fetched again whenever the `/supervision` channel reports a change.
 */
export function DashboardApp() {
  const { lang, t } = useLang();
  const { session, rest, signIn, signOut } = useSession('dashboard');
  const allowed = session && ['supervisor', 'leader', 'secretariat'].includes(session.actor.role);
  const { link, changes } = useSupervision(allowed ? session.accessToken : null);
  const [board, setBoard] = useState<SupervisionDashboard | null>(null);
  const [ledger, setLedger] = useState<LedgerRow[]>([]);
  const [attendance, setAttendance] = useState<AttendanceFigures | null>(null);
  const [insights, setInsights] = useState<InsightsFigures | null>(null);
  const [drill, setDrill] = useState<TaskItem | null>(null);
  const { error, run } = useAction();
  const load = useCallback(
    () =>
      void run(async () => {
        const [b, l, a, i] = await Promise.all([
          rest.dashboard(),
          rest.ledger(),
          rest.attendanceFigures(),
          loadInsightsFigures(rest),
        ]);
        setBoard(b);
        setLedger(l);
        setAttendance(a);
        setInsights(i);
      }),
    [rest, run],
  );
  useEffect(() => {
    if (allowed) load();
  }, [allowed, load, changes]);

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
  const total = board?.units.reduce((n, u) => n + u.total, 0) ?? 0;
  const closed = board?.units.reduce((n, u) => n + u.closed, 0) ?? 0;
  const download = () => {
    const url = URL.createObjectURL(new Blob([ledgerCsv(ledger)], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `ledger-${new Date().toISOString().slice(0, 10)}.csv`;
    a.click();
    URL.revokeObjectURL(url);
  };
  const figure = (name: string, value: number | string, id: string) => (
    <div className="figure">
      <span>{name}</span>
      <strong data-testid={id}>{value}</strong>
    </div>
  );
  return (
    <main aria-label={t('督查看板', 'Supervision dashboard')}>
      <div className="toolbar">
        <h1>{t('督查看板', 'Supervision dashboard')}</h1>
        <ConnectionBadge link={link} pending={0} />
        <WhoAmI session={session} onSignOut={signOut} />
      </div>
      <ErrorNote error={error} />
      {board && (
        <section aria-label={t('总体', 'Overall')} className="figures">
          {figure(t('任务总数', 'Items'), total, 'figure-total')}
          {figure(t('已销号', 'Closed out'), closed, 'figure-closed')}
          {figure(
            t('办结率', 'Closed share'),
            total ? `${Math.round((100 * closed) / total)}%` : '—',
            'figure-closed-rate',
          )}
          {figure(label(lang, 'light', 'green'), board.lights.green, 'figure-green')}
          {figure(label(lang, 'light', 'yellow'), board.lights.yellow, 'figure-yellow')}
          {figure(label(lang, 'light', 'red'), board.lights.red, 'figure-red')}
          {figure(t('待定时限', 'Awaiting a deadline'), board.awaitingDeadline, 'figure-awaiting')}
          {figure(t('延期待批', 'Extensions pending'), board.pendingExtensions, 'figure-extensions')}
          {figure(t('待回头看', 'Re-inspections due'), board.dueReinspections, 'figure-reinspections')}
          {attendance &&
            figure(
              t('列席出勤率', 'Attendance rate'),
              attendance.total.attendanceRate === null
                ? '—'
                : `${Math.round(attendance.total.attendanceRate * 100)}%`,
              'figure-attendance',
            )}
        </section>
      )}
      {insights && (
        <section className="card" aria-label={t('办理成效', 'Handling figures')}>
          {Object.entries(insights.rates).map(([k, v]) => (
            <p key={k}>
              {k}: {v === null ? '—' : `${Math.round(v * 100)}%`}
            </p>
          ))}
        </section>
      )}
      {board && (
        <div className="cols">
          <section className="card">
            <BarChart
              title={t('各单位已销号 / 在办（排名）', 'Closed / open per unit (ranking)')}
              bars={[...board.units]
                .sort((a, b) => b.closed - a.closed || a.open - b.open)
                .map((u) => ({ label: u.unitName, value: u.closed, color: '#15803d' }))}
            />
          </section>
          <section className="card">
            <BarChart
              title={t('亮灯情况', 'Lights')}
              bars={(['green', 'yellow', 'red'] as const).map((l) => ({
                label: label(lang, 'light', l),
                value: board.lights[l],
                color: { green: '#15803d', yellow: '#b45309', red: '#b91c1c' }[l],
              }))}
            />
          </section>
          {attendance && (
            <section className="card">
              <BarChart
                title={t('列席人次（按界别）', 'Person-times attended by constituency')}
                bars={attendance.byConstituency.map((c) => ({
                  label: label(lang, 'constituency', c.constituency),
                  value: c.attended,
                }))}
              />
            </section>
          )}
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
      <section className="card" aria-labelledby="ledger-title">
        <h2 id="ledger-title">{t('台账', 'Ledger')}</h2>
        <button type="button" className="secondary" onClick={download}>
          {t('下载台账（CSV）', 'Download the ledger (CSV)')}
        </button>
        {insightsExports().map((x) => (
          <a key={x.href} href={x.href}>
            {lang === 'zh' ? x.label.zh : x.label.en}
          </a>
        ))}
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
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => void run(async () => setDrill(await rest.task(r.taskId)))}
                  >
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
      {drill && <History item={drill} onClose={() => setDrill(null)} />}
    </main>
  );
}

/** Drill-down: an item's history (replies and their reviews, evaluations, deadline changes). */
function History({ item, onClose }: { item: TaskItem; onClose: () => void }) {
  const { lang, t } = useLang();
  const events = [
    ...item.replies.flatMap((r) => [
      ...r.reviews.map((v) => ({
        at: v.at,
        text: `${label(lang, 'replyLevel', v.level)}：${label(lang, 'decision', v.decision)}${v.comment ? `（${v.comment}）` : ''}`,
      })),
      ...(r.sentAt ? [{ at: r.sentAt, text: `${t('答复已发送', 'Reply sent')}：${r.body}` }] : []),
    ]),
    ...item.evaluations.map((e) => ({
      at: e.at,
      text: `${t('评价', 'Evaluation')}：${label(lang, 'rating', e.rating)}`,
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return (
    <section className="card" aria-labelledby="history-title" data-testid="history">
      <h2 id="history-title">
        {item.problem} · {label(lang, 'taskState', item.state)}
      </h2>
      <ol>
        {events.map((e, i) => (
          <li key={i}>
            <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time> {e.text}
          </li>
        ))}
      </ol>
      <button type="button" className="secondary" onClick={onClose}>
        {t('关闭', 'Close')}
      </button>
    </section>
  );
}
