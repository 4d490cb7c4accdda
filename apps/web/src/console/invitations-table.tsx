import { useEffect, useState } from 'react';
import type { Rest } from '../api/rest';
import type { CheckInCode, Invitation, Meeting, Participant } from '../api/types';
import { useLang } from '../i18n';
import { label } from '../labels';
import { QrCode } from '../ui/qr-code';
import { ErrorNote, useAction } from '../ui/session';

/** The meeting's invitations with why each person was invited, hand invitations, check-in codes as QR. */
export function InvitationsTable(props: {
  rest: Rest;
  meeting: Meeting;
  version: number;
  onChanged: () => void;
}) {
  const { rest, meeting } = props;
  const { lang, t } = useLang();
  const [rows, setRows] = useState<Invitation[]>([]);
  const [people, setPeople] = useState<Participant[]>([]);
  const [who, setWho] = useState('');
  const [codes, setCodes] = useState<Record<string, CheckInCode>>({});
  const { busy, error, run } = useAction();
  useEffect(() => {
    void run(async () => {
      setRows(await rest.invitations(meeting.id));
      setPeople(await rest.participants());
    });
  }, [rest, meeting.id, props.version, run]);
  const open =
    meeting.status === 'draft' || meeting.status === 'scheduled' || meeting.status === 'in_session';
  const invited = new Set(rows.map((r) => r.participantId));
  return (
    <>
      <h3>{t('邀请名单', 'Invitations')}</h3>
      {open && (
        <form
          className="row"
          aria-label={t('手动邀请', 'Invite by hand')}
          onSubmit={(e) => {
            e.preventDefault();
            if (!who) return;
            void run(async () => {
              await rest.invite(meeting.id, who);
              setWho('');
              props.onChanged();
            });
          }}
        >
          <label>
            {t('列席人员', 'Participant')}
            <select name="participant" value={who} onChange={(e) => setWho(e.target.value)}>
              <option value="">{t('— 请选择 —', '— choose —')}</option>
              {people
                .filter((p) => p.active && !invited.has(p.id))
                .map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name} · {label(lang, 'constituency', p.constituency)}
                  </option>
                ))}
            </select>
          </label>
          <button type="submit" disabled={busy || !who}>
            {t('邀请', 'Invite')}
          </button>
        </form>
      )}
      <ErrorNote error={error} />
      <table>
        <thead>
          <tr>
            <th scope="col">{t('姓名', 'Name')}</th>
            <th scope="col">{t('界别', 'Constituency')}</th>
            <th scope="col">{t('状态', 'Status')}</th>
            <th scope="col">{t('邀请理由', 'Why invited')}</th>
            <th scope="col">{t('签到码', 'Check-in code')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const code = codes[r.id];
            return (
              <tr key={r.id} data-testid="invitation">
                <td>{r.participantName ?? r.participantId}</td>
                <td>{r.constituency ? label(lang, 'constituency', r.constituency) : ''}</td>
                <td data-testid="invitation-status">{label(lang, 'invitationStatus', r.status)}</td>
                <td>
                  {r.explanation?.reasons.map((x) => (lang === 'zh' ? x.zh : x.en)).join('；') ??
                    (r.source === 'manual' ? t('手动邀请', 'Invited by hand') : '')}
                </td>
                <td>
                  {code ? (
                    <div className="qr">
                      <QrCode
                        payload={code.qrPayload}
                        label={`${t('签到二维码', 'Check-in QR code')}：${r.participantName ?? ''}`}
                      />
                      <code data-testid="qr-payload">{code.qrPayload}</code>
                    </div>
                  ) : (
                    (r.status === 'invited' || r.status === 'accepted') && (
                      <button
                        type="button"
                        className="secondary"
                        disabled={busy}
                        aria-label={`${t('生成签到码', 'Issue check-in code')}：${r.participantName ?? ''}`}
                        onClick={() =>
                          void run(async () => {
                            const c = await rest.checkInCode(r.id);
                            setCodes((all) => ({ ...all, [r.id]: c }));
                          })
                        }
                      >
                        {t('生成签到码', 'Issue code')}
                      </button>
                    )
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
