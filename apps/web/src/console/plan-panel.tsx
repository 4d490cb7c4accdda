import { CONSTITUENCIES, type Constituency, MEETING_KINDS, type MeetingKind } from '@liexi/contracts';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import type { Rest } from '../api/rest';
import type { GenerationResult, InvitationPolicy, Meeting, MeetingSummary, TaxonomyTerm } from '../api/types';
import { useLang } from '../i18n';
import { label } from '../labels';
import { ErrorNote, useAction } from '../ui/session';
import { InvitationsTable } from './invitations-table';

/** A `datetime-local` value (the browser's zone) for a moment. */
const localInput = (d: Date): string => {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
};

/** 会议筹备: meetings, the agenda with categories, invitation policies, generated invitations, codes. */
export function PlanPanel(props: {
  rest: Rest;
  meeting: MeetingSummary | null;
  onCreated: (id: string) => void;
  onChanged: () => void;
}) {
  const { rest, meeting } = props;
  const { lang, t } = useLang();
  const [detail, setDetail] = useState<Meeting | null>(null);
  const [terms, setTerms] = useState<TaxonomyTerm[]>([]);
  const [policies, setPolicies] = useState<InvitationPolicy[]>([]);
  const [generated, setGenerated] = useState<GenerationResult | null>(null);
  const [version, setVersion] = useState(0);
  const { busy, error, run } = useAction();
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  useEffect(() => {
    void run(async () => {
      setTerms(await rest.taxonomy());
      setPolicies(await rest.policies());
      setDetail(meeting ? await rest.meeting(meeting.id) : null);
    });
  }, [rest, meeting, run, version]);
  const termLabel = (code: string) => {
    const term = terms.find((x) => x.code === code);
    return term ? (lang === 'zh' ? term.labelZh : term.labelEn) : code;
  };
  const act = (fn: () => Promise<unknown>) =>
    void run(async () => {
      await fn();
      reload();
      props.onChanged();
    });

  return (
    <div className="cols">
      <NewMeeting rest={rest} onCreated={props.onCreated} />
      <PolicyForm rest={rest} terms={terms} policies={policies} onCreated={reload} />
      {detail && (
        <section className="card" aria-labelledby="meeting-detail-title" style={{ gridColumn: '1 / -1' }}>
          <h2 id="meeting-detail-title">
            {detail.title} · {label(lang, 'meetingStatus', detail.status)}
          </h2>
          <p className="muted">
            {label(lang, 'meetingKind', detail.kind)} · {new Date(detail.startsAt).toLocaleString()} –{' '}
            {new Date(detail.endsAt).toLocaleString()} · {detail.place ?? ''}
          </p>
          <h3>{t('议题', 'Agenda')}</h3>
          <ol>
            {detail.agenda.map((a) => (
              <li key={a.id}>
                {a.title}{' '}
                <span className="muted">
                  · {termLabel(a.category)} · {a.topics.map(termLabel).join('、')}
                </span>
              </li>
            ))}
          </ol>
          {(detail.status === 'draft' || detail.status === 'scheduled') && (
            <AgendaForm terms={terms} onAdd={(item) => act(() => rest.addAgendaItem(detail.id, item))} />
          )}
          <div className="row">
            {detail.status === 'draft' && (
              <button
                type="button"
                disabled={busy}
                onClick={() => act(() => rest.meetingAction(detail.id, 'schedule'))}
              >
                {t('确定会议安排', 'Schedule')}
              </button>
            )}
            {(detail.status === 'draft' || detail.status === 'scheduled') && (
              <button
                type="button"
                className="secondary"
                disabled={busy}
                onClick={() =>
                  void run(async () => {
                    setGenerated(await rest.generateInvitations(detail.id));
                    reload();
                  })
                }
              >
                {t('按邀请规则生成邀请', 'Generate invitations by policy')}
              </button>
            )}
          </div>
          <ErrorNote error={error} />
          {generated && <Generated result={generated} />}
          <InvitationsTable rest={rest} meeting={detail} version={version} onChanged={reload} />
        </section>
      )}
    </div>
  );
}

function NewMeeting({ rest, onCreated }: { rest: Rest; onCreated: (id: string) => void }) {
  const { lang, t } = useLang();
  const [form, setForm] = useState(() => {
    const start = new Date(Date.now() + 3600_000);
    start.setMinutes(0, 0, 0);
    return {
      kind: 'executive',
      title: '',
      startsAt: localInput(start),
      endsAt: localInput(new Date(start.getTime() + 3 * 3600_000)),
      place: '',
      chair: '',
    };
  });
  const { busy, error, run } = useAction();
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [k]: e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const m = await rest.createMeeting({
        kind: form.kind as MeetingKind,
        title: form.title.trim(),
        startsAt: new Date(form.startsAt).toISOString(),
        endsAt: new Date(form.endsAt).toISOString(),
        ...(form.place.trim() ? { place: form.place.trim() } : {}),
        ...(form.chair.trim() ? { chair: form.chair.trim() } : {}),
      });
      setForm({ ...form, title: '' });
      onCreated(m.id);
    });
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="new-meeting-title">
      <h2 id="new-meeting-title">{t('新建会议', 'New meeting')}</h2>
      <label>
        {t('会议类型', 'Kind')}
        <select value={form.kind} onChange={set('kind')}>
          {MEETING_KINDS.map((k) => (
            <option key={k} value={k}>
              {label(lang, 'meetingKind', k)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('会议名称', 'Title')}
        <input value={form.title} onChange={set('title')} required />
      </label>
      <div className="row">
        <label>
          {t('开始时间', 'Starts at')}
          <input type="datetime-local" value={form.startsAt} onChange={set('startsAt')} required />
        </label>
        <label>
          {t('结束时间', 'Ends at')}
          <input type="datetime-local" value={form.endsAt} onChange={set('endsAt')} required />
        </label>
      </div>
      <div className="row">
        <label>
          {t('地点', 'Place')}
          <input value={form.place} onChange={set('place')} />
        </label>
        <label>
          {t('主持人', 'Chair')}
          <input value={form.chair} onChange={set('chair')} />
        </label>
      </div>
      <button type="submit" disabled={busy}>
        {t('创建会议', 'Create meeting')}
      </button>
      <ErrorNote error={error} />
    </form>
  );
}

function AgendaForm({
  terms,
  onAdd,
}: {
  terms: TaxonomyTerm[];
  onAdd: (item: { title: string; category: string; topics: string[] }) => void;
}) {
  const { lang, t } = useLang();
  const categories = terms.filter((x) => x.kind === 'category' && x.active);
  const topics = terms.filter((x) => x.kind === 'topic' && x.active);
  const [title, setTitle] = useState('');
  const [category, setCategory] = useState('key_work');
  const [chosen, setChosen] = useState<string[]>([]);
  const name = (x: TaxonomyTerm) => (lang === 'zh' ? x.labelZh : x.labelEn);
  return (
    <form
      aria-label={t('添加议题', 'Add an agenda item')}
      onSubmit={(e) => {
        e.preventDefault();
        onAdd({ title: title.trim(), category, topics: chosen });
        setTitle('');
        setChosen([]);
      }}
    >
      <div className="row">
        <label>
          {t('议题名称', 'Agenda item')}
          <input name="agendaTitle" value={title} onChange={(e) => setTitle(e.target.value)} required />
        </label>
        <label>
          {t('事项类别', 'Category')}
          <select value={category} onChange={(e) => setCategory(e.target.value)}>
            {categories.map((c) => (
              <option key={c.code} value={c.code}>
                {name(c)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset>
        <legend>{t('领域', 'Topics')}</legend>
        {topics.map((x) => (
          <label key={x.code} className="pill">
            <input
              type="checkbox"
              checked={chosen.includes(x.code)}
              onChange={(e) =>
                setChosen(e.target.checked ? [...chosen, x.code] : chosen.filter((c) => c !== x.code))
              }
            />
            {name(x)}
          </label>
        ))}
      </fieldset>
      <button type="submit">{t('添加议题', 'Add agenda item')}</button>
    </form>
  );
}

function PolicyForm(props: {
  rest: Rest;
  terms: TaxonomyTerm[];
  policies: InvitationPolicy[];
  onCreated: () => void;
}) {
  const { lang, t } = useLang();
  const [name, setName] = useState('');
  const [category, setCategory] = useState('key_work');
  const [quotas, setQuotas] = useState<Record<string, number>>({});
  const { busy, error, run } = useAction();
  const categories = props.terms.filter((x) => x.kind === 'category');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await props.rest.createPolicy({
        name: name.trim(),
        category,
        quotas: Object.entries(quotas)
          .filter(([, n]) => n > 0)
          .map(([constituency, count]) => ({ constituency: constituency as Constituency, count })),
      });
      setName('');
      setQuotas({});
      props.onCreated();
    });
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="policy-title">
      <h2 id="policy-title">{t('邀请规则', 'Invitation policies')}</h2>
      <ul>
        {props.policies.map((p) => (
          <li key={p.id}>
            {p.name}：
            {p.quotas.map((q) => `${label(lang, 'constituency', q.constituency)} ${q.count}`).join('，')}
          </li>
        ))}
      </ul>
      <div className="row">
        <label>
          {t('规则名称', 'Name')}
          <input name="policyName" value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <label>
          {t('适用事项类别', 'For category')}
          <select value={category} onChange={(e) => setCategory(e.target.value)}>
            {categories.map((c) => (
              <option key={c.code} value={c.code}>
                {lang === 'zh' ? c.labelZh : c.labelEn}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset className="row">
        <legend>{t('各界别名额', 'Seats per constituency')}</legend>
        {CONSTITUENCIES.map((c) => (
          <label key={c}>
            {label(lang, 'constituency', c)}
            <input
              type="number"
              min={0}
              max={50}
              value={quotas[c] ?? 0}
              onChange={(e) => setQuotas({ ...quotas, [c]: Number(e.target.value) })}
            />
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={busy}>
        {t('保存规则', 'Save policy')}
      </button>
      <ErrorNote error={error} />
    </form>
  );
}

function Generated({ result }: { result: GenerationResult }) {
  const { lang, t } = useLang();
  return (
    <div className="card" role="status">
      <p>
        {t('新邀请', 'Invited')} {result.created.length} · {t('已有席位', 'Kept')} {result.kept}
      </p>
      {result.shortfalls.map((s) => (
        <p key={`${s.policyId}-${s.constituency}`} className="error">
          {t('名额不足', 'Short')}：{label(lang, 'constituency', s.constituency)} {s.missing}
        </p>
      ))}
      {result.skipped.length > 0 && (
        <p className="muted">
          {t('未选', 'Passed over')}：
          {result.skipped.map((s) => `${s.name}（${lang === 'zh' ? s.reason.zh : s.reason.en}）`).join('；')}
        </p>
      )}
    </div>
  );
}
