import { useCallback, useEffect, useState } from 'react';
import type { Rest } from '../api/rest';
import type { Session, TaskItem, Unit } from '../api/types';
import { useLang } from '../i18n';
import { label } from '../labels';
import { useSupervision } from '../live/use-supervision';
import { ErrorNote, useAction } from '../ui/session';
import { myActions } from './actions';
import { ItemDetail } from './item-detail';

/** 任务清单: items, those waiting for me first; the loop's steps on the chosen one. */
export function ItemsPanel({ session, rest, units }: { session: Session; rest: Rest; units: Unit[] }) {
  const { lang, t } = useLang();
  const role = session.actor.role;
  const [items, setItems] = useState<TaskItem[]>([]);
  const [chosen, setChosen] = useState<string | null>(null);
  const [onlyMine, setOnlyMine] = useState(true);
  const { error, run } = useAction();
  // Staff who follow every unit stream see items change live; units refresh after their own steps.
  const follows = role === 'secretariat' || role === 'leader' || role === 'supervisor';
  const { changes } = useSupervision(follows ? session.accessToken : null);
  const load = useCallback(() => void run(async () => setItems(await rest.tasks())), [rest, run]);
  useEffect(load, [load, changes]);
  const unitName = (id: string) => units.find((u) => u.id === id)?.name ?? id;
  const waiting = items.filter((i) => myActions(i, role).length > 0);
  const shown = onlyMine ? waiting : items;
  const item = items.find((i) => i.id === chosen) ?? null;
  return (
    <div className="cols">
      <section className="card" aria-labelledby="items-title">
        <h2 id="items-title">{t('任务清单', 'Task items')}</h2>
        <div className="row">
          <label className="switch">
            <input type="checkbox" checked={onlyMine} onChange={(e) => setOnlyMine(e.target.checked)} />
            {t('只看待我办理', 'Only those waiting for me')} ({waiting.length})
          </label>
          <button type="button" className="secondary" onClick={load}>
            {t('刷新', 'Refresh')}
          </button>
        </div>
        <ErrorNote error={error} />
        <table>
          <thead>
            <tr>
              <th scope="col">{t('问题', 'Problem')}</th>
              <th scope="col">{t('牵头单位', 'Lead unit')}</th>
              <th scope="col">{t('状态', 'State')}</th>
              <th scope="col">{t('时限', 'Deadline')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((i) => (
              <tr key={i.id} data-testid="item-row" aria-selected={i.id === chosen}>
                <td>
                  <button type="button" className="secondary" onClick={() => setChosen(i.id)}>
                    {i.problem.slice(0, 40)}
                  </button>
                </td>
                <td>{unitName(i.leadUnitId)}</td>
                <td data-testid="item-row-state">{label(lang, 'taskState', i.state)}</td>
                <td>
                  {i.deadline}{' '}
                  {i.light && (
                    <span className={`light light-${i.light}`}>{label(lang, 'light', i.light)}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {item && (
        <ItemDetail
          key={`${item.id}-${item.state}`}
          item={item}
          role={role}
          rest={rest}
          unitName={unitName}
          onChanged={load}
        />
      )}
    </div>
  );
}
