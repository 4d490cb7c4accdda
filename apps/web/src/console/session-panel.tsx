import { POLL_KINDS, type PollKind } from '@liexi/contracts';
import { type FormEvent, useState } from 'react';
import type { MeetingSummary, Session, Unit } from '../api/types';
import { useLang } from '../i18n';
import { label } from '../labels';
import { useLiveMeeting } from '../live/use-live-meeting';
import { Tally } from '../tablet/polls';
import { ConnectionBadge } from '../ui/connection-badge';
import { ErrorNote } from '../ui/session';

/** 会场: the chair's and secretariat's controls over `/live`, each a command sent once. */
export function SessionPanel(props: {
  session: Session;
  meeting: MeetingSummary;
  units: Unit[];
  onChanged: () => void;
}) {
  const { session, meeting } = props;
  const { lang, t } = useLang();
  const live = useLiveMeeting(session.accessToken, session.actor.accountId, meeting.id);
  const { state, link } = live;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const command = async (event: string, payload: Record<string, unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    const ack = await live.command(event, payload);
    setBusy(false);
    if (!ack.ok) setError(`${ack.error.message} (${ack.error.code})`);
    return ack.ok;
  };
  const ref = { meetingId: meeting.id };
  const secretariat = session.actor.role === 'secretariat';
  if (!state) return <ConnectionBadge link={link} pending={0} />;
  const current = state.agenda.find((a) => a.id === state.currentAgendaItemId);
  return (
    <div className="cols">
      <section className="card" aria-labelledby="session-title">
        <h2 id="session-title">
          {state.title} ·{' '}
          <span data-testid="meeting-status">{label(lang, 'meetingStatus', state.status)}</span>
        </h2>
        <ConnectionBadge link={link} pending={0} />
        <p>
          {t('到会', 'Present')} <strong data-testid="present">{state.attendance.present}</strong> /{' '}
          {state.attendance.invited}
        </p>
        <div className="row">
          {secretariat && state.status === 'scheduled' && (
            <button
              type="button"
              disabled={busy}
              onClick={() => void command('meeting.open', ref).then(props.onChanged)}
            >
              {t('开始会议', 'Open the session')}
            </button>
          )}
          {secretariat && state.status === 'in_session' && (
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() => void command('meeting.adjourn', ref).then(props.onChanged)}
            >
              {t('休会', 'Adjourn')}
            </button>
          )}
          {state.status === 'in_session' && (
            <button type="button" disabled={busy} onClick={() => void command('agenda.advance', ref)}>
              {t('下一议题', 'Next agenda item')}
            </button>
          )}
        </div>
        <p>
          {t('当前议题', 'Current item')}：
          <strong data-testid="console-current-item">{current?.title ?? t('无', 'none')}</strong>
        </p>
        <h3>{t('发言', 'Speakers')}</h3>
        <p>
          {t('正在发言', 'Speaking')}：{state.speakers.current?.name ?? t('无', 'nobody')}
        </p>
        <ol>
          {state.speakers.queue.map((s) => (
            <li key={s.participantId}>{s.name}</li>
          ))}
        </ol>
        <button
          type="button"
          className="secondary"
          disabled={busy || state.status !== 'in_session'}
          onClick={() => void command('speaker.next', ref)}
        >
          {t('请下一位发言', 'Next speaker')}
        </button>
        <ErrorNote error={error} />
      </section>
      <section className="card" aria-labelledby="console-polls-title">
        <h2 id="console-polls-title">{t('表决与测评', 'Votes')}</h2>
        {state.status === 'in_session' && (
          <OpenPoll
            units={props.units}
            onOpen={(p) => command('poll.open', { meetingId: meeting.id, ...p })}
          />
        )}
        {state.polls.map((p) => (
          <div key={p.pollId} className="poll" data-testid="console-poll">
            <h3>
              {p.question} <span className="muted">· {label(lang, 'pollKind', p.kind)}</span>
            </h3>
            <Tally poll={p} />
            {p.state === 'open' && (
              <button
                type="button"
                className="secondary"
                disabled={busy}
                onClick={() => void command('poll.close', { pollId: p.pollId })}
              >
                {t('结束表决', 'Close the vote')}
              </button>
            )}
          </div>
        ))}
      </section>
      <section className="card" aria-labelledby="moderation-title" style={{ gridColumn: '1 / -1' }}>
        <h2 id="moderation-title">
          {t('会场意见（审核）', 'Inputs (moderation)')} ({state.inputs.length})
        </h2>
        <ul className="inputs">
          {state.inputs.map((i) => (
            <li key={i.inputId} data-testid="console-input">
              <p className="input-text">{i.text}</p>
              <p className="muted">
                {label(lang, 'inputKind', i.kind)} · {i.author?.name ?? t('匿名', 'Anonymous')} ·{' '}
                {t('联名', 'Co-signed')} {i.cosignCount}
              </p>
              <button
                type="button"
                className="danger"
                disabled={busy}
                aria-label={`${t('隐藏', 'Hide')}：${i.text.slice(0, 20)}`}
                onClick={() =>
                  void command('input.moderate', {
                    inputId: i.inputId,
                    action: 'hide',
                    reason: t('与议题无关', 'Off topic'),
                  })
                }
              >
                {t('隐藏', 'Hide')}
              </button>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function OpenPoll({
  units,
  onOpen,
}: {
  units: Unit[];
  onOpen: (p: Record<string, unknown>) => Promise<boolean>;
}) {
  const { lang, t } = useLang();
  const [kind, setKind] = useState<PollKind>('named');
  const [question, setQuestion] = useState('');
  const [choices, setChoices] = useState(t('同意，反对，弃权', 'For, Against, Abstain'));
  const [unit, setUnit] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const list = choices
      .split(/[,，、]/)
      .map((c) => c.trim())
      .filter(Boolean);
    void onOpen({
      kind,
      question: question.trim(),
      ...(kind === 'satisfaction' ? { targetUnitId: unit } : { choices: list }),
    }).then((ok) => ok && setQuestion(''));
  };
  return (
    <form onSubmit={submit} aria-label={t('发起表决', 'Open a vote')}>
      <div className="row">
        <label>
          {t('表决类型', 'Kind')}
          <select value={kind} onChange={(e) => setKind(e.target.value as PollKind)}>
            {POLL_KINDS.map((k) => (
              <option key={k} value={k}>
                {label(lang, 'pollKind', k)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('表决事项', 'Question')}
          <input name="question" value={question} onChange={(e) => setQuestion(e.target.value)} required />
        </label>
      </div>
      {kind === 'satisfaction' ? (
        <label>
          {t('测评单位', 'Unit rated')}
          <select value={unit} onChange={(e) => setUnit(e.target.value)} required>
            <option value="">{t('— 请选择 —', '— choose —')}</option>
            {units.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <label>
          {t('选项（用逗号分隔）', 'Choices (comma-separated)')}
          <input name="choices" value={choices} onChange={(e) => setChoices(e.target.value)} required />
        </label>
      )}
      <button type="submit">{t('发起表决', 'Open the vote')}</button>
    </form>
  );
}
