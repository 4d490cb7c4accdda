import type { InputView } from '@liexi/contracts';
import { type FormEvent, useState } from 'react';
import type { Rest } from '../api/rest';
import type { NewTaskItem, Unit } from '../api/types';
import { useLang } from '../i18n';
import { ErrorNote, useAction } from '../ui/session';

type TaskFormState = Required<
  Pick<
    NewTaskItem,
    | 'problem'
    | 'leadUnitId'
    | 'cooperatingUnitIds'
    | 'measure'
    | 'deadline'
    | 'closeOutStandard'
    | 'taskClass'
    | 'classReason'
    | 'urgency'
    | 'assign'
  >
>;

/** 转为任务: the four dimensions (问题、责任、措施、时限) and the close-out standard (销号标准). */
export function TaskForm(props: {
  rest: Rest;
  units: Unit[];
  meetingId: string;
  inputs: InputView[];
  onCreated: () => void;
}) {
  const { t } = useLang();
  const [f, setF] = useState<TaskFormState>(() => ({
    problem: props.inputs.map((i) => i.text).join('；'),
    leadUnitId: '',
    cooperatingUnitIds: [],
    measure: '',
    deadline: new Date(Date.now() + 30 * 86400_000).toISOString().slice(0, 10),
    closeOutStandard: '',
    taskClass: 'A',
    classReason: '',
    urgency: 'immediate',
    assign: true,
  }));
  const { busy, error, run } = useAction();
  const set =
    (k: 'problem' | 'measure' | 'deadline' | 'closeOutStandard' | 'classReason' | 'leadUnitId') =>
    (e: { target: { value: string } }) =>
      setF({ ...f, [k]: e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await props.rest.createTask({
        meetingId: props.meetingId,
        inputIds: props.inputs.map((i) => i.inputId),
        problem: f.problem.trim(),
        leadUnitId: f.leadUnitId,
        cooperatingUnitIds: f.cooperatingUnitIds.filter((u) => u !== f.leadUnitId),
        measure: f.measure.trim(),
        deadline: f.deadline,
        closeOutStandard: f.closeOutStandard.trim(),
        taskClass: f.taskClass,
        ...(f.taskClass === 'C' ? { classReason: f.classReason.trim() } : {}),
        urgency: f.urgency,
        assign: f.assign,
      });
      props.onCreated();
    });
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="task-form-title">
      <h2 id="task-form-title">
        {t('转为任务', 'Make a task item')} ({props.inputs.length})
      </h2>
      <label>
        {t('问题', 'Problem')}
        <textarea name="problem" rows={3} value={f.problem} onChange={set('problem')} required />
      </label>
      <label>
        {t('牵头单位（责任）', 'Lead unit (responsibility)')}
        <select name="leadUnit" value={f.leadUnitId} onChange={set('leadUnitId')} required>
          <option value="">{t('— 请选择 —', '— choose —')}</option>
          {props.units.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>{t('配合单位', 'Cooperating units')}</legend>
        {props.units
          .filter((u) => u.id !== f.leadUnitId)
          .map((u) => (
            <label key={u.id} className="pill">
              <input
                type="checkbox"
                checked={f.cooperatingUnitIds.includes(u.id)}
                onChange={(e) =>
                  setF({
                    ...f,
                    cooperatingUnitIds: e.target.checked
                      ? [...f.cooperatingUnitIds, u.id]
                      : f.cooperatingUnitIds.filter((x) => x !== u.id),
                  })
                }
              />
              {u.name}
            </label>
          ))}
      </fieldset>
      <label>
        {t('措施', 'Measure')}
        <input name="measure" value={f.measure} onChange={set('measure')} required />
      </label>
      <div className="row">
        <label>
          {t('时限', 'Deadline')}
          <input name="deadline" type="date" value={f.deadline} onChange={set('deadline')} required />
        </label>
        <label>
          {t('分类', 'Class')}
          <select
            value={f.taskClass}
            onChange={(e) => setF({ ...f, taskClass: e.target.value as TaskFormState['taskClass'] })}
          >
            <option value="A">{t('A 当年解决', 'A: solvable this year')}</option>
            <option value="B">{t('B 三年内基本解决', 'B: within three years')}</option>
            <option value="C">{t('C 因客观原因无法解决', 'C: cannot be solved')}</option>
          </select>
        </label>
        <label>
          {t('紧急程度', 'Urgency')}
          <select
            value={f.urgency}
            onChange={(e) => setF({ ...f, urgency: e.target.value as TaskFormState['urgency'] })}
          >
            <option value="immediate">{t('立行立改', 'Immediate')}</option>
            <option value="long_term">{t('长期整改', 'Long term')}</option>
          </select>
        </label>
      </div>
      {f.taskClass === 'C' && (
        <label>
          {t('无法解决的说明', 'Why it cannot be solved')}
          <input name="classReason" value={f.classReason} onChange={set('classReason')} required />
        </label>
      )}
      <label>
        {t('销号标准', 'Close-out standard')}
        <input
          name="closeOutStandard"
          value={f.closeOutStandard}
          onChange={set('closeOutStandard')}
          required
        />
      </label>
      <label className="switch">
        <input
          type="checkbox"
          checked={f.assign}
          onChange={(e) => setF({ ...f, assign: e.target.checked })}
        />
        {t('立即交办牵头单位', 'Assign to the lead unit now')}
      </label>
      <button type="submit" disabled={busy}>
        {t('创建任务', 'Create the item')}
      </button>
      <ErrorNote error={error} />
    </form>
  );
}
