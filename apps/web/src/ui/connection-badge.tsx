import { useLang } from '../i18n';
import type { LinkState } from '../live/live-client';

/** The connection state, announced politely to screen readers; with the writes still to send. */
export function ConnectionBadge({ link, pending }: { link: LinkState; pending: number }) {
  const { t } = useLang();
  const text =
    link === 'live'
      ? t('已连接', 'Online')
      : link === 'offline'
        ? t('网络已断开', 'Offline')
        : t('正在连接…', 'Connecting…');
  return (
    <p role="status" aria-live="polite" className={`badge link-${link}`} data-testid="link" data-link={link}>
      {text}
      {pending > 0 && <span data-testid="pending">{` · ${t('待发送', 'to send')} ${pending}`}</span>}
    </p>
  );
}
