import { lazy, Suspense, useEffect } from 'react';
import { useLang } from './i18n';

/* Three screens in one app, one route each; each is its own chunk, loaded when opened. */
const TabletApp = lazy(() => import('./tablet/tablet-app').then((m) => ({ default: m.TabletApp })));
const ConsoleApp = lazy(() => import('./console/console-app').then((m) => ({ default: m.ConsoleApp })));
const DashboardApp = lazy(() =>
  import('./dashboard/dashboard-app').then((m) => ({ default: m.DashboardApp })),
);

type Route = 'tablet' | 'console' | 'dashboard' | 'home';
const route = (): Route => {
  const first = location.pathname.split('/')[1] ?? '';
  return first === 'tablet' || first === 'console' || first === 'dashboard' ? first : 'home';
};

export function App() {
  const { lang, setLang, t } = useLang();
  const current = route();
  const names: Record<Route, string> = {
    tablet: t('列席平板', 'Attendee tablet'),
    console: t('秘书处工作台', 'Secretariat console'),
    dashboard: t('督查看板', 'Supervision dashboard'),
    home: t('列席', 'Liexi'),
  };
  useEffect(() => {
    document.title = `${names[current]} · 列席 Liexi`;
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  });
  return (
    <>
      <a className="skip" href="#content">
        {t('跳到正文', 'Skip to content')}
      </a>
      <header className="topbar">
        <span className="brand">列席 Liexi</span>
        <nav aria-label={t('屏幕', 'Screens')}>
          {(['tablet', 'console', 'dashboard'] as const).map((r) => (
            <a key={r} href={`/${r}`} aria-current={current === r ? 'page' : undefined}>
              {names[r]}
            </a>
          ))}
        </nav>
        <button type="button" className="lang" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
          {lang === 'zh' ? 'English' : '中文'}
        </button>
      </header>
      <div id="content">
        <Suspense fallback={<p className="muted">{t('加载中…', 'Loading…')}</p>}>
          {current === 'tablet' && <TabletApp />}
          {current === 'console' && <ConsoleApp />}
          {current === 'dashboard' && <DashboardApp />}
          {current === 'home' && (
            <main className="home" aria-label={names.home}>
              <h1>{t('列席：社会各界列席政府常务会议', 'Liexi: sitting in on executive meetings')}</h1>
              <ul className="cards">
                <li>
                  <a href="/tablet">{names.tablet}</a>
                  <p>
                    {t(
                      '签到、跟随议程、提出意见建议、联名、表决',
                      'Check in, follow the agenda, raise inputs, co-sign, vote',
                    )}
                  </p>
                </li>
                <li>
                  <a href="/console">{names.console}</a>
                  <p>
                    {t(
                      '筹备会议、主持会场、转办任务、闭环办理',
                      'Plan, run the session, turn inputs into items, follow the loop',
                    )}
                  </p>
                </li>
                <li>
                  <a href="/dashboard">{names.dashboard}</a>
                  <p>
                    {t('亮灯、排名、台账与出勤统计', 'Lights, rankings, the ledger and attendance figures')}
                  </p>
                </li>
              </ul>
            </main>
          )}
        </Suspense>
      </div>
    </>
  );
}
