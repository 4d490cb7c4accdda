import type { Role } from '@liexi/contracts';
import { useState } from 'react';
import type { Rest, TaskStepPath } from '../api/rest';
import type { TaskItem } from '../api/types';
import { useLang } from '../i18n';
import { label } from '../labels';
import { ErrorNote, useAction } from '../ui/session';
import { myActions } from './actions';

/** Each step: its route under the item, what it asks for, and its button in both languages. */
const STEPS: Record<
  string,
  { path: TaskStepPath; needs?: 'reason' | 'body' | 'reopen'; zh: string; en: string }
> = {
  assign: { path: 'assign', zh: '交办', en: 'Assign' },
  accept: { path: 'accept', zh: '接收', en: 'Accept' },
  return: { path: 'return', needs: 'reason', zh: '退回', en: 'Return' },
  start: { path: 'start', zh: '开始整改', en: 'Start' },
  draft_reply: { path: 'reply', needs: 'body', zh: '提交答复稿', en: 'Submit the reply draft' },
  sign_reply: { path: 'reply/sign', zh: '签发答复', en: 'Sign the reply' },
  review_reply: { path: 'reply/review', zh: '审核通过', en: 'Review: pass' },
  approve_reply: { path: 'reply/approve', zh: '审批同意', en: 'Approve the reply' },
  send_back_reply: { path: 'reply/send-back', needs: 'reason', zh: '退回修改', en: 'Send back' },
  send_reply: { path: 'reply/send', zh: '发送答复', en: 'Send the reply' },
  reopen: { path: 'reopen', needs: 'reopen', zh: '重新办理', en: 'Reopen' },
  close: { path: 'close', zh: '销号', en: 'Close out' },
};

export function ItemDetail(props: {
  item: TaskItem;
  role: Role;
  rest: Rest;
  unitName: (id: string) => string;
  onChanged: () => void;
}) {
  const { item, role, rest } = props;
  const { lang, t } = useLang();
  const [text, setText] = useState('');
  const [deadline, setDeadline] = useState('');
  const [progress, setProgress] = useState({ text: '', percent: 50 });
  const { busy, error, run } = useAction();
  const actions = myActions(item, role);
  const needsText = actions.some((a) => STEPS[a]?.needs);
  const step = (action: string) => {
    const s = STEPS[action];
    if (!s) return;
    const body: Record<string, unknown> =
      s.needs === 'body' ? { body: text.trim() } : s.needs === 'reason' ? { reason: text.trim() } : {};
    if (s.needs === 'reopen') Object.assign(body, { reason: text.trim(), ...(deadline ? { deadline } : {}) });
    void run(async () => {
      await rest.taskStep(item.id, s.path, body);
      setText('');
      props.onChanged();
    });
  };
  const extensions = item.deadlineChanges.filter((c) => c.kind === 'extension' && c.status === 'pending');
  return (
    <section className="card" aria-labelledby="item-detail-title" data-testid="item-detail">
      <h2 id="item-detail-title">{item.problem}</h2>
      <dl>
        <dt>{t('状态', 'State')}</dt>
        <dd data-testid="item-state">
          {label(lang, 'taskState', item.state)}
          {item.reopenCount > 0 ? ` · ${t('第', 'round ')}${item.reopenCount + 1}${t('轮', '')}` : ''}
        </dd>
        <dt>{t('责任（牵头 / 配合）', 'Responsibility (lead / cooperating)')}</dt>
        <dd>
          {props.unitName(item.leadUnitId)}
          {item.cooperatingUnitIds.length > 0 &&
            ` / ${item.cooperatingUnitIds.map(props.unitName).join('、')}`}
        </dd>
        <dt>{t('措施', 'Measure')}</dt>
        <dd>{item.measure}</dd>
        <dt>{t('时限', 'Deadline')}</dt>
        <dd>
          {item.deadline}
          {item.deadlinePending ? ` · ${t('待定新时限', 'new deadline pending')}` : ''}
        </dd>
        <dt>{t('销号标准', 'Close-out standard')}</dt>
        <dd>{item.closeOutStandard}</dd>
      </dl>
      {item.replies.length > 0 && (
        <>
          <h3>{t('答复与审核', 'Replies and reviews')}</h3>
          <ul>
            {item.replies.map((r) => (
              <li key={r.id}>
                {r.body}
                <span className="muted">
                  {' '}
                  ·{' '}
                  {r.reviews
                    .map(
                      (v) =>
                        `${label(lang, 'replyLevel', v.level)}：${label(lang, 'decision', v.decision)}${v.comment ? `（${v.comment}）` : ''}`,
                    )
                    .join('，')}
                  {r.sentAt ? ` · ${t('已发送', 'sent')}` : ''}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
      {item.evaluations.length > 0 && (
        <p>
          {t('评价', 'Evaluations')}：
          {item.evaluations.map((e) => label(lang, 'rating', e.rating)).join('，')}
        </p>
      )}
      {needsText && (
        <label>
          {t('答复内容 / 理由', 'Reply text / reason')}
          <textarea name="stepText" rows={3} value={text} onChange={(e) => setText(e.target.value)} />
        </label>
      )}
      {actions.includes('reopen') && (
        <label>
          {t('新时限（重新办理）', 'New deadline (reopen)')}
          <input type="date" value={deadline} onChange={(e) => setDeadline(e.target.value)} />
        </label>
      )}
      <div className="row" role="group" aria-label={t('办理', 'Steps')}>
        {actions.map((a) => {
          const s = STEPS[a];
          if (!s) return null;
          const missing = s.needs !== undefined && !text.trim();
          return (
            <button key={a} type="button" disabled={busy || missing} onClick={() => step(a)} data-action={a}>
              {lang === 'zh' ? s.zh : s.en}
            </button>
          );
        })}
      </div>
      {role === 'unit_handler' && item.state === 'in_progress' && (
        <div className="row">
          <label>
            {t('进展情况', 'Progress')}
            <input
              value={progress.text}
              onChange={(e) => setProgress({ ...progress, text: e.target.value })}
            />
          </label>
          <label>
            {t('完成百分比', 'Percent done')}
            <input
              type="number"
              min={0}
              max={100}
              value={progress.percent}
              onChange={(e) => setProgress({ ...progress, percent: Number(e.target.value) })}
            />
          </label>
          <button
            type="button"
            className="secondary"
            disabled={busy || !progress.text.trim()}
            onClick={() =>
              void run(async () => (await rest.taskStep(item.id, 'progress', progress), props.onChanged()))
            }
          >
            {t('报告进展', 'Report progress')}
          </button>
        </div>
      )}
      {role === 'secretariat' &&
        extensions.map((c) => (
          <div key={c.id} className="row">
            <span>
              {t('延期申请', 'Extension requested')}：{c.requestedDeadline}（{c.reason}）
            </span>
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                void run(async () => (await rest.decideExtension(item.id, c.id, true), props.onChanged()))
              }
            >
              {t('同意延期', 'Approve')}
            </button>
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() =>
                void run(async () => (await rest.decideExtension(item.id, c.id, false), props.onChanged()))
              }
            >
              {t('不同意', 'Refuse')}
            </button>
          </div>
        ))}
      <ErrorNote error={error} />
    </section>
  );
}
