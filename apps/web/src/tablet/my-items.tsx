import { RATINGS, type Rating } from '@liexi/contracts';
import { useCallback, useEffect, useState } from 'react';
import type { Rest } from '../api/rest';
import type { TaskItem } from '../api/types';
import { useLang } from '../i18n';
import { label } from '../labels';
import { ErrorNote, useAction } from '../ui/session';

/** 我的事项: the items made from this attendee's inputs, their replies, and the evaluation. */
export function MyItems({ rest }: { rest: Rest }) {
  const { lang, t } = useLang();
  const [items, setItems] = useState<TaskItem[] | null>(null);
  const { busy, error, run } = useAction();
  const load = useCallback(() => void run(async () => setItems(await rest.tasks())), [rest, run]);
  useEffect(load, [load]);
  const rate = (item: TaskItem, rating: Rating) =>
    void run(async () => {
      await rest.evaluate(item.id, rating);
      setItems(await rest.tasks());
    });
  return (
    <section className="card" aria-labelledby="my-items-title">
      <h2 id="my-items-title">{t('我的意见办理情况', 'How my inputs are handled')}</h2>
      <button type="button" className="secondary" onClick={load} disabled={busy}>
        {t('刷新', 'Refresh')}
      </button>
      <ErrorNote error={error} />
      {items?.length === 0 && <p className="muted">{t('暂无事项', 'No items yet')}</p>}
      <ul className="items">
        {items?.map((i) => {
          const reply = [...i.replies].reverse().find((r) => r.sentAt);
          return (
            <li key={i.id} data-testid="my-item">
              <p className="input-text">{i.problem}</p>
              <p>
                <span data-testid="item-state">{label(lang, 'taskState', i.state)}</span> ·{' '}
                {t('时限', 'Deadline')} {i.deadline}
              </p>
              {reply && (
                <p className="reply">
                  {t('答复', 'Reply')}：{reply.body}
                </p>
              )}
              {i.allowedActions.includes('evaluate') && (
                <div role="group" aria-label={t('满意度评价', 'Your evaluation')} className="choices">
                  {RATINGS.map((r) => (
                    <button key={r} type="button" className="big" disabled={busy} onClick={() => rate(i, r)}>
                      {label(lang, 'rating', r)}
                    </button>
                  ))}
                </div>
              )}
              {i.evaluations.length > 0 && (
                <p className="ok">
                  {t('已评价', 'Evaluated')}：
                  {label(lang, 'rating', i.evaluations[i.evaluations.length - 1]?.rating ?? '')}
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
