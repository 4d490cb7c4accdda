import type { HistoryEntry, TaskItem } from '../api/types';
import { type Lang, useLang } from '../i18n';
import { label } from '../labels';

/** Names of the history's actions (the workflow's, without `task.`); others show as they are. */
const ACTIONS: Record<string, [string, string]> = {
  created: ['创建', 'created'],
  assign: ['交办', 'assigned'],
  accept: ['接收', 'accepted'],
  return: ['退回', 'returned'],
  start: ['开始整改', 'started'],
  progress: ['报送进展', 'progress reported'],
  draft_reply: ['提交答复稿', 'reply drafted'],
  sign_reply: ['签发答复', 'reply signed'],
  review_reply: ['审核答复', 'reply reviewed'],
  approve_reply: ['审批答复', 'reply approved'],
  send_back_reply: ['退回修改', 'reply sent back'],
  send_reply: ['发送答复', 'reply sent'],
  evaluate: ['评价', 'evaluated'],
  rated: ['评价', 'rated'],
  reopen: ['重新办理', 'reopened'],
  close: ['销号', 'closed out'],
};
const actionName = (lang: Lang, a: string): string => {
  const pair = ACTIONS[a];
  return pair ? pair[lang === 'zh' ? 0 : 1] : a;
};

/** A rating carried by the entry's change, if any (evaluations). */
const ratingOf = (e: HistoryEntry): string | null => {
  const after = (e.changes as { after?: Record<string, unknown> | null }).after;
  return typeof after?.rating === 'string' ? after.rating : null;
};

/**
 * Drill-down: an item's history as the api records it (`GET /api/tasks/{id}/history`): every
 * transition and edit, when, from which state to which, who, the review level and the comment.
 */
export function HistoryPanel(props: { item: TaskItem; entries: HistoryEntry[]; onClose: () => void }) {
  const { lang, t } = useLang();
  const { item } = props;
  return (
    <section className="card" aria-labelledby="history-title" data-testid="history">
      <h2 id="history-title">
        {item.problem.slice(0, 60)} · {label(lang, 'taskState', item.state)}
      </h2>
      <ol>
        {props.entries.map((e, i) => {
          const rating = ratingOf(e);
          return (
            <li key={`${e.at}-${i}`} data-testid="history-entry">
              <time dateTime={e.at}>{new Date(e.at).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en')}</time>{' '}
              <strong>{actionName(lang, e.action)}</strong>
              {e.from !== e.to && e.to && (
                <span data-testid="history-transition">
                  {' '}
                  {e.from ? label(lang, 'taskState', e.from) : '—'} → {label(lang, 'taskState', e.to)}
                </span>
              )}
              {e.review && (
                <span>
                  {' '}
                  · {label(lang, 'replyLevel', e.review.level)}：{label(lang, 'decision', e.review.decision)}
                </span>
              )}
              {rating && <span> · {label(lang, 'rating', rating)}</span>}
              {e.by && (
                <span className="muted">
                  {' '}
                  · {e.by.name ?? ''}
                  {e.by.role ? `（${label(lang, 'role', e.by.role)}）` : ''}
                </span>
              )}
              {e.comment && <span> · {e.comment}</span>}
            </li>
          );
        })}
      </ol>
      <button type="button" className="secondary" onClick={props.onClose}>
        {t('关闭', 'Close')}
      </button>
    </section>
  );
}
