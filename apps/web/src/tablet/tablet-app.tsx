import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { Rest } from '../api/rest';
import type { Invitation, Session } from '../api/types';
import { useLang } from '../i18n';
import { label } from '../labels';
import { ErrorNote, LoginForm, useAction, useSession, WhoAmI } from '../ui/session';
import { MeetingScreen } from './meeting-screen';
import { MyItems } from './my-items';

const MEETING_KEY = 'liexi.tablet.meeting';

/** 平板 (attendee): check in with the QR code, follow the meeting, raise inputs, vote, evaluate. */
export function TabletApp() {
  const { t } = useLang();
  const { session, rest, signIn, signOut } = useSession('tablet');
  const [meetingId, setMeetingIdState] = useState<string | null>(() => localStorage.getItem(MEETING_KEY));
  const [tab, setTab] = useState<'meeting' | 'items'>('meeting');
  const setMeetingId = useCallback((id: string | null) => {
    if (id) localStorage.setItem(MEETING_KEY, id);
    else localStorage.removeItem(MEETING_KEY);
    setMeetingIdState(id);
  }, []);
  const leave = () => {
    setMeetingId(null);
    signOut();
  };

  if (!session) {
    return (
      <main className="tablet-app" aria-label={t('列席平板', 'Attendee tablet')}>
        <h1>{t('列席签到', 'Check in')}</h1>
        <CheckInWithCode
          onCheckedIn={(s, id) => {
            signIn(s);
            setMeetingId(id);
          }}
        />
        <LoginForm
          onSession={signIn}
          hint={t('或使用列席人员账号登录', 'Or sign in with your attendee account')}
        />
      </main>
    );
  }
  return (
    <main className="tablet-app" aria-label={t('列席平板', 'Attendee tablet')}>
      <div className="toolbar">
        <div role="tablist" aria-label={t('页面', 'Pages')}>
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'meeting'}
            onClick={() => setTab('meeting')}
          >
            {t('会议', 'Meeting')}
          </button>
          <button type="button" role="tab" aria-selected={tab === 'items'} onClick={() => setTab('items')}>
            {t('我的事项', 'My items')}
          </button>
        </div>
        <WhoAmI session={session} onSignOut={leave} />
      </div>
      {tab === 'items' ? (
        <MyItems rest={rest} />
      ) : meetingId ? (
        <MeetingScreen key={meetingId} session={session} meetingId={meetingId} />
      ) : (
        <MyInvitations rest={rest} onMeeting={setMeetingId} />
      )}
    </main>
  );
}

/** Scanned or typed QR payload `liexi:checkin:<invitation>:<code>` → checked in, with a session. */
function CheckInWithCode({ onCheckedIn }: { onCheckedIn: (s: Session, meetingId: string) => void }) {
  const { t } = useLang();
  const [payload, setPayload] = useState(() => new URLSearchParams(location.search).get('checkin') ?? '');
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const res = await new Rest().checkInWithCode(payload.trim());
      if (!res.session)
        throw new Error(
          t(
            '签到成功，但您没有平板账号，请联系秘书处',
            'Checked in; you have no tablet account — ask the secretariat',
          ),
        );
      onCheckedIn(res.session, res.invitation.meetingId);
    });
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="checkin-title">
      <h2 id="checkin-title">{t('扫码签到', 'Check in with your code')}</h2>
      <label>
        {t(
          '签到码（扫描邀请函上的二维码，或输入其内容）',
          'Check-in code (scan the QR code on your invitation, or type its text)',
        )}
        <input
          name="checkin"
          value={payload}
          onChange={(e) => setPayload(e.target.value)}
          autoComplete="off"
          required
        />
      </label>
      <button type="submit" className="big" disabled={busy}>
        {t('签到', 'Check in')}
      </button>
      <ErrorNote error={error} />
    </form>
  );
}

/** After a sign-in with an account: the attendee's invitations; check in to one and follow it. */
function MyInvitations({ rest, onMeeting }: { rest: Rest; onMeeting: (id: string) => void }) {
  const { lang, t } = useLang();
  const [invitations, setInvitations] = useState<Invitation[]>([]);
  const { busy, error, run } = useAction();
  useEffect(() => void run(async () => setInvitations(await rest.myInvitations())), [rest, run]);
  const enter = (i: Invitation) =>
    void run(async () => {
      if (i.status === 'invited' || i.status === 'accepted') await rest.selfCheckIn(i.id);
      onMeeting(i.meetingId);
    });
  return (
    <section className="card" aria-labelledby="invitations-title">
      <h2 id="invitations-title">{t('我的会议邀请', 'My invitations')}</h2>
      <ErrorNote error={error} />
      <ul className="items">
        {invitations.map((i) => (
          <li key={i.id}>
            <span>{label(lang, 'invitationStatus', i.status)}</span>{' '}
            {['invited', 'accepted', 'checked_in'].includes(i.status) && (
              <button type="button" className="big" disabled={busy} onClick={() => enter(i)}>
                {i.status === 'checked_in'
                  ? t('进入会议', 'Enter the meeting')
                  : t('签到并进入', 'Check in and enter')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
