import { INPUT_KINDS, type InputKind, MAX_INPUT_TEXT } from '@liexi/contracts';
import { type FormEvent, useState } from 'react';
import { useLang } from '../i18n';
import { label } from '../labels';
import { newKey } from '../live/use-live-meeting';
import { useDraft } from './memory';

/** 提交意见建议: kind, text, anonymous switch. The text is a draft in local storage until queued. */
export function InputForm(props: {
  accountId: string;
  meetingId: string;
  agendaItemId: string | null;
  disabled: boolean;
  send: (event: string, payload: Record<string, unknown>) => string;
}) {
  const { lang, t } = useLang();
  const [text, setText] = useDraft(`liexi.draft.${props.accountId}.${props.meetingId}`);
  const [kind, setKind] = useState<InputKind>('problem');
  const [anonymous, setAnonymous] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = text.trim();
    if (!body) return;
    props.send('input.submit', {
      meetingId: props.meetingId,
      clientKey: newKey(),
      kind,
      text: body,
      anonymous,
      ...(props.agendaItemId ? { agendaItemId: props.agendaItemId } : {}),
    });
    setText('');
    setAnonymous(false);
  };
  return (
    <form className="card input-form" onSubmit={submit} aria-labelledby="input-form-title">
      <h2 id="input-form-title">{t('提出意见建议', 'Raise a problem or suggestion')}</h2>
      <fieldset className="kinds">
        <legend>{t('类型', 'Kind')}</legend>
        {INPUT_KINDS.map((k) => (
          <label key={k} className="pill">
            <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
            {label(lang, 'inputKind', k)}
          </label>
        ))}
      </fieldset>
      <label>
        {t('内容', 'Text')}
        <textarea
          name="text"
          rows={4}
          maxLength={MAX_INPUT_TEXT}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={t('请输入您的意见建议', 'Type your input')}
        />
      </label>
      <label className="switch">
        <input
          type="checkbox"
          name="anonymous"
          checked={anonymous}
          onChange={(e) => setAnonymous(e.target.checked)}
        />
        {t('匿名提交（不显示姓名）', 'Anonymous (your name is not shown)')}
      </label>
      <button type="submit" className="big" disabled={props.disabled || !text.trim()}>
        {t('提交', 'Submit')}
      </button>
    </form>
  );
}
