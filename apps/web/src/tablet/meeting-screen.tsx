import type { InputView, PollView } from '@liexi/contracts';
import { useCallback, useEffect } from 'react';
import type { Session } from '../api/types';
import { useLang } from '../i18n';
import { label } from '../labels';
import type { OutboxEntry } from '../live/outbox';
import { newKey, useLiveMeeting } from '../live/use-live-meeting';
import { ConnectionBadge } from '../ui/connection-badge';
import { InputForm } from './input-form';
import { useTabletMemory } from './memory';
import { PollCards } from './polls';

/** The attendee's view of a meeting in session. */
export function MeetingScreen({ session, meetingId }: { session: Session; meetingId: string }) {
  const { lang, t } = useLang();
  const accountId = session.actor.accountId;
  const { memory, update } = useTabletMemory(accountId, meetingId);
  const onAcked = useCallback(
    (entry: OutboxEntry, data: unknown) => {
      const p = entry.payload;
      if (entry.event === 'input.submit') {
        const inputId = (data as { inputId: string }).inputId;
        update((m) => ({ ...m, mine: [...new Set([...m.mine, inputId])] }));
      } else if (entry.event === 'input.cosign') {
        update((m) => ({ ...m, cosigned: [...new Set([...m.cosigned, String(p.inputId)])] }));
      } else if (entry.event === 'poll.vote') {
        update((m) => ({ ...m, votes: { ...m.votes, [String(p.pollId)]: String(p.choice) } }));
      }
    },
    [update],
  );
  const live = useLiveMeeting(session.accessToken, accountId, meetingId, onAcked);
  const { state, link, outbox, send, dismiss, lastRefused } = live;

  // A co-sign or a vote refused as a conflict was already made (e.g. from another tablet).
  // Other refused writes (a speaker request, a vote) carry no text to keep: dismissed, the reason shown.
  useEffect(() => {
    if (!lastRefused || lastRefused.entry.event === 'input.submit') return;
    const { entry, error } = lastRefused;
    if (entry.event === 'input.cosign' && error.code === 'CONFLICT')
      update((m) => ({ ...m, cosigned: [...new Set([...m.cosigned, String(entry.payload.inputId)])] }));
    dismiss(entry.key);
  }, [lastRefused, update, dismiss]);
  const refusedNote =
    lastRefused && lastRefused.entry.event !== 'input.submit' && lastRefused.error.code !== 'CONFLICT'
      ? lastRefused.error.message
      : null;

  if (!state) {
    // Not joined yet (e.g. reloaded while the live connection is down): what is typed is queued.
    return (
      <div className="tablet">
        <ConnectionBadge link={link} pending={outbox.filter((e) => !e.failed).length} />
        <p className="muted">{t('正在加入会议…', 'Joining the meeting…')}</p>
        <InputForm
          accountId={accountId}
          meetingId={meetingId}
          agendaItemId={null}
          disabled={false}
          send={send}
        />
        <Outbox entries={outbox} dismiss={dismiss} />
      </div>
    );
  }
  const me = session.actor.participantId;
  const current = state.agenda.find((a) => a.id === state.currentAgendaItemId) ?? null;
  const queuedFor = (event: string, field: string) =>
    new Set(outbox.filter((e) => e.event === event && !e.failed).map((e) => String(e.payload[field])));
  const cosigning = queuedFor('input.cosign', 'inputId');
  const voting = queuedFor('poll.vote', 'pollId');
  const inSession = state.status === 'in_session';
  const requested = state.speakers.queue.some((s) => s.participantId === me);
  const mine = (i: InputView) =>
    memory.mine.includes(i.inputId) || (i.author !== null && i.author.participantId === me);

  return (
    <div className="tablet">
      <header className="meeting-head">
        <h1>{state.title}</h1>
        <p>
          {label(lang, 'meetingStatus', state.status)} · {t('到会', 'Present')} {state.attendance.present}/
          {state.attendance.invited}
        </p>
        <ConnectionBadge link={link} pending={outbox.filter((e) => !e.failed).length} />
        {refusedNote && (
          <p role="alert" className="error">
            {t('操作未成功', 'Not done')}：{refusedNote}
          </p>
        )}
      </header>

      <section className="card" aria-labelledby="agenda-title">
        <h2 id="agenda-title">{t('当前议题', 'Current agenda item')}</h2>
        <p className="current-item" data-testid="current-item">
          {current ? current.title : t('暂无', 'None')}
        </p>
        <ol className="agenda">
          {state.agenda.map((a) => (
            <li key={a.id} className={`agenda-${a.state}`}>
              {a.title} <span className="muted">· {label(lang, 'agendaState', a.state)}</span>
            </li>
          ))}
        </ol>
      </section>

      <section className="card" aria-labelledby="speakers-title">
        <h2 id="speakers-title">{t('发言', 'Speakers')}</h2>
        <p>
          {t('正在发言', 'Speaking')}：{state.speakers.current?.name ?? t('无', 'nobody')}
        </p>
        <p>
          {t('排队', 'Waiting')}：{state.speakers.queue.map((s) => s.name).join('、') || t('无', 'nobody')}
        </p>
        <button
          type="button"
          className="big secondary"
          disabled={!inSession}
          onClick={() =>
            requested
              ? send('speaker.withdraw', { meetingId })
              : send('speaker.request', {
                  meetingId,
                  clientKey: newKey(),
                  ...(current ? { agendaItemId: current.id } : {}),
                })
          }
        >
          {requested ? t('撤回发言申请', 'Withdraw my request') : t('申请发言', 'Request to speak')}
        </button>
      </section>

      <PollCards
        polls={state.polls}
        votes={memory.votes}
        queued={voting}
        disabled={!inSession}
        vote={(p: PollView, choice: string) =>
          send('poll.vote', { pollId: p.pollId, choice, clientKey: newKey() })
        }
      />

      <InputForm
        accountId={accountId}
        meetingId={meetingId}
        agendaItemId={current?.id ?? null}
        disabled={!inSession}
        send={send}
      />
      <Outbox entries={outbox} dismiss={dismiss} />

      <section className="card" aria-labelledby="inputs-title">
        <h2 id="inputs-title">
          {t('会场意见建议', 'Inputs in this meeting')} ({state.inputs.length})
        </h2>
        <ul className="inputs">
          {[...state.inputs].reverse().map((i) => {
            const own = mine(i);
            const done = memory.cosigned.includes(i.inputId);
            return (
              <li key={i.inputId} data-testid="input" data-input-id={i.inputId}>
                <p className="input-text">{i.text}</p>
                <p className="muted">
                  {label(lang, 'inputKind', i.kind)} · {i.author ? i.author.name : t('匿名', 'Anonymous')}
                  {own ? ` · ${t('我提出的', 'mine')}` : ''} ·{' '}
                  <span data-testid="cosigns">
                    {t('联名', 'Co-signed')} {i.cosignCount}
                  </span>
                </p>
                {!own && (
                  <button
                    type="button"
                    className="secondary"
                    disabled={!inSession || done || cosigning.has(i.inputId)}
                    onClick={() => send('input.cosign', { inputId: i.inputId, clientKey: newKey() })}
                  >
                    {done
                      ? t('已联名', 'Co-signed')
                      : cosigning.has(i.inputId)
                        ? t('联名发送中…', 'Sending…')
                        : t('联名', 'Co-sign')}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      </section>
    </div>
  );
}

/** Writes typed here and not acked yet: visible, kept across reloads, sent again until acked. */
function Outbox({ entries, dismiss }: { entries: readonly OutboxEntry[]; dismiss: (key: string) => void }) {
  const { t } = useLang();
  const inputs = entries.filter((e) => e.event === 'input.submit');
  if (inputs.length === 0) return null;
  return (
    <section className="card outbox" aria-labelledby="outbox-title">
      <h2 id="outbox-title">
        {t('待发送（网络恢复后自动发送）', 'Waiting to be sent (sent when the network is back)')}
      </h2>
      <ul>
        {inputs.map((e) => (
          <li key={e.key} data-testid="queued">
            <p className="input-text">{String(e.payload.text)}</p>
            {e.failed ? (
              <p role="alert" className="error">
                {t('未能提交', 'Not accepted')}：{e.failed.message}{' '}
                <button type="button" className="secondary" onClick={() => dismiss(e.key)}>
                  {t('移除', 'Remove')}
                </button>
              </p>
            ) : (
              <p className="muted">{t('等待发送', 'Queued')}</p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
