import type { Role } from '@liexi/contracts';
import { useCallback, useEffect, useState } from 'react';
import type { MeetingSummary, Unit } from '../api/types';
import { useLang } from '../i18n';
import { label } from '../labels';
import { ErrorNote, LoginForm, useAction, useSession, WhoAmI } from '../ui/session';
import { InputsPanel } from './inputs-panel';
import { ItemsPanel } from './items-panel';
import { PlanPanel } from './plan-panel';
import { SessionPanel } from './session-panel';

type Tab = 'plan' | 'session' | 'inputs' | 'items';

const TABS: Record<Role, Tab[]> = {
  secretariat: ['plan', 'session', 'inputs', 'items'],
  leader: ['session', 'items'],
  unit_handler: ['items'],
  supervisor: ['items'],
  attendee: [],
};

/** 秘书处工作台: the secretariat plans and runs meetings; units, leaders and the chair act on items. */
export function ConsoleApp() {
  const { lang, t } = useLang();
  const { session, rest, signIn, signOut } = useSession('console');
  const tabs = session ? TABS[session.actor.role] : [];
  const [tab, setTab] = useState<Tab | null>(null);
  const [meetings, setMeetings] = useState<MeetingSummary[]>([]);
  const [meetingId, setMeetingId] = useState<string | null>(() =>
    localStorage.getItem('liexi.console.meeting'),
  );
  const [units, setUnits] = useState<Unit[]>([]);
  const { error, run } = useAction();
  const reloadMeetings = useCallback(
    () => void run(async () => setMeetings(await rest.meetings())),
    [rest, run],
  );
  useEffect(() => {
    if (!session) return;
    reloadMeetings();
    void run(async () => setUnits(await rest.units()));
  }, [session, rest, run, reloadMeetings]);
  const chooseMeeting = (id: string | null) => {
    if (id) localStorage.setItem('liexi.console.meeting', id);
    else localStorage.removeItem('liexi.console.meeting');
    setMeetingId(id);
  };

  if (!session) {
    return (
      <main aria-label={t('秘书处工作台', 'Secretariat console')}>
        <h1>{t('秘书处工作台', 'Secretariat console')}</h1>
        <LoginForm
          onSession={signIn}
          hint={t(
            '秘书处、领导、承办单位与督查室使用',
            'For the secretariat, leaders, units and supervisors',
          )}
        />
      </main>
    );
  }
  if (tabs.length === 0) {
    return (
      <main aria-label={t('秘书处工作台', 'Secretariat console')}>
        <WhoAmI session={session} onSignOut={signOut} />
        <p>
          {t('列席人员请使用平板页面', 'Attendees use the tablet screen')}: <a href="/tablet">/tablet</a>
        </p>
      </main>
    );
  }
  const active = tab && tabs.includes(tab) ? tab : tabs[0];
  const names: Record<Tab, string> = {
    plan: t('会议筹备', 'Planning'),
    session: t('会场', 'Session'),
    inputs: t('意见建议', 'Inputs'),
    items: t('任务清单', 'Task items'),
  };
  const meeting = meetings.find((m) => m.id === meetingId) ?? null;
  return (
    <main aria-label={t('秘书处工作台', 'Secretariat console')}>
      <div className="toolbar">
        <div role="tablist" aria-label={t('功能', 'Sections')}>
          {tabs.map((x) => (
            <button key={x} type="button" role="tab" aria-selected={active === x} onClick={() => setTab(x)}>
              {names[x]}
            </button>
          ))}
        </div>
        <WhoAmI session={session} onSignOut={signOut} />
      </div>
      <ErrorNote error={error} />
      {active !== 'items' && (
        <label className="meeting-select">
          {t('会议', 'Meeting')}
          <select value={meetingId ?? ''} onChange={(e) => chooseMeeting(e.target.value || null)}>
            <option value="">{t('— 请选择 —', '— choose —')}</option>
            {meetings.map((m) => (
              <option key={m.id} value={m.id}>
                {m.title} · {label(lang, 'meetingStatus', m.status)}
              </option>
            ))}
          </select>
        </label>
      )}
      {active === 'plan' && (
        <PlanPanel
          rest={rest}
          meeting={meeting}
          onCreated={(id) => {
            chooseMeeting(id);
            reloadMeetings();
          }}
          onChanged={reloadMeetings}
        />
      )}
      {active === 'session' && meeting && (
        <SessionPanel
          key={meeting.id}
          session={session}
          meeting={meeting}
          units={units}
          onChanged={reloadMeetings}
        />
      )}
      {active === 'inputs' && meeting && (
        <InputsPanel key={meeting.id} session={session} rest={rest} meeting={meeting} units={units} />
      )}
      {active === 'items' && <ItemsPanel session={session} rest={rest} units={units} />}
    </main>
  );
}
