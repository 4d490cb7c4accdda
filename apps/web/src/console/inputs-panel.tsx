import type { InputView } from '@liexi/contracts';
import { useCallback, useEffect, useState } from 'react';
import type { Rest } from '../api/rest';
import type { MeetingSummary, Session, TaskItem, Unit } from '../api/types';
import { useLang } from '../i18n';
import { label } from '../labels';
import { useLiveMeeting } from '../live/use-live-meeting';
import { ConnectionBadge } from '../ui/connection-badge';
import { ErrorNote, useAction } from '../ui/session';
import { TaskForm } from './task-form';

/**
 * 意见建议 → 任务: every input of the meeting, live; make task items from selected inputs (the
 * first is converted, the rest merged), merge later duplicates into an item, or answer / decline.
 */
export function InputsPanel(props: { session: Session; rest: Rest; meeting: MeetingSummary; units: Unit[] }) {
  const { session, rest, meeting } = props;
  const { lang, t } = useLang();
  const { state, link } = useLiveMeeting(session.accessToken, session.actor.accountId, meeting.id);
  const [selected, setSelected] = useState<string[]>([]);
  const [tasks, setTasks] = useState<TaskItem[]>([]);
  const [handled, setHandled] = useState<Record<string, string>>({});
  const [mergeInto, setMergeInto] = useState('');
  const [note, setNote] = useState('');
  const { busy, error, run } = useAction();
  const loadTasks = useCallback(
    () => void run(async () => setTasks(await rest.tasks({ meetingId: meeting.id }))),
    [rest, meeting.id, run],
  );
  const created = state?.tasks.length ?? 0;
  useEffect(loadTasks, [loadTasks, created]);

  const inItem = new Map<string, TaskItem>();
  for (const task of tasks) for (const id of task.sourceInputIds) inItem.set(id, task);
  const chosen = (state?.inputs ?? []).filter((i) => selected.includes(i.inputId));
  const disposition = (i: InputView): string | null => {
    const task = inItem.get(i.inputId);
    if (task) return `${t('已转任务', 'In item')}：${task.problem.slice(0, 24)}`;
    return handled[i.inputId] ?? null;
  };
  const after = () => {
    setSelected([]);
    setNote('');
    loadTasks();
  };

  return (
    <div className="cols">
      <section className="card" aria-labelledby="inputs-panel-title">
        <h2 id="inputs-panel-title">
          {t('意见建议', 'Inputs')} ({state?.inputs.length ?? 0})
        </h2>
        <ConnectionBadge link={link} pending={0} />
        <ul className="inputs">
          {state?.inputs.map((i) => {
            const d = disposition(i);
            return (
              <li key={i.inputId} data-testid="inbox-input">
                <label className="switch">
                  <input
                    type="checkbox"
                    checked={selected.includes(i.inputId)}
                    onChange={(e) =>
                      setSelected(
                        e.target.checked ? [...selected, i.inputId] : selected.filter((x) => x !== i.inputId),
                      )
                    }
                  />
                  <span className="input-text">{i.text}</span>
                </label>
                <p className="muted">
                  {label(lang, 'inputKind', i.kind)} · {i.author?.name ?? t('匿名', 'Anonymous')} ·{' '}
                  {t('联名', 'Co-signed')} {i.cosignCount}
                  {d ? ` · ${d}` : ` · ${t('待处理', 'Pending')}`}
                </p>
              </li>
            );
          })}
        </ul>
      </section>
      <div>
        {chosen.length > 0 && (
          <>
            <TaskForm
              key={chosen.map((c) => c.inputId).join()}
              rest={rest}
              units={props.units}
              meetingId={meeting.id}
              inputs={chosen}
              onCreated={after}
            />
            <section className="card" aria-labelledby="dispose-title">
              <h2 id="dispose-title">{t('其他处理', 'Other dispositions')}</h2>
              {tasks.length > 0 && (
                <div className="row">
                  <label>
                    {t('并入已有任务', 'Merge into an item')}
                    <select value={mergeInto} onChange={(e) => setMergeInto(e.target.value)}>
                      <option value="">{t('— 请选择 —', '— choose —')}</option>
                      {tasks.map((x) => (
                        <option key={x.id} value={x.id}>
                          {x.problem.slice(0, 40)}
                        </option>
                      ))}
                    </select>
                  </label>
                  <button
                    type="button"
                    disabled={busy || !mergeInto}
                    onClick={() =>
                      void run(async () => (await rest.mergeInputs(mergeInto, selected), after()))
                    }
                  >
                    {t('并入', 'Merge')}
                  </button>
                </div>
              )}
              <label>
                {t('答复内容或不予采纳的理由', 'Answer, or the reason for declining')}
                <textarea name="note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
              </label>
              <button
                type="button"
                className="secondary"
                disabled={busy || !note.trim()}
                onClick={() =>
                  void run(async () => {
                    for (const id of selected) await rest.answerInput(id, note.trim());
                    setHandled((h) => ({
                      ...h,
                      ...Object.fromEntries(selected.map((id) => [id, t('已直接答复', 'Answered')])),
                    }));
                    after();
                  })
                }
              >
                {t('直接答复', 'Answer directly')}
              </button>
              <button
                type="button"
                className="danger"
                disabled={busy || !note.trim()}
                onClick={() =>
                  void run(async () => {
                    for (const id of selected) await rest.declineInput(id, note.trim());
                    setHandled((h) => ({
                      ...h,
                      ...Object.fromEntries(selected.map((id) => [id, t('不予采纳', 'Declined')])),
                    }));
                    after();
                  })
                }
              >
                {t('不予采纳', 'Decline')}
              </button>
              <ErrorNote error={error} />
            </section>
          </>
        )}
        {chosen.length === 0 && (
          <p className="muted">
            {t('勾选意见建议后可转为任务、并入或答复', 'Select inputs to make an item, merge or answer them')}
          </p>
        )}
      </div>
    </div>
  );
}
