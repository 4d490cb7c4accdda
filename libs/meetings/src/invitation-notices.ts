import type { NoticeRequest } from '@liexi/platform';
import type { MeetingSummaryView } from './meetings.views';

/** What a notice says about the meeting. */
export type NoticeMeeting = Pick<MeetingSummaryView, 'title' | 'startsAt' | 'place'>;

/** Whom a notice goes to: the person and their private contact (phone or e-mail), if any. */
export interface NoticePerson {
  id: string;
  contact: string | null;
}

/** Local wall-clock text for notices, in the government's time zone. */
export function localTime(d: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d);
}

export type InviteeNoticeKind = 'invited' | 'changed' | 'cancelled' | 'withdrawn';

/** One notice to one invitee: SMS or e-mail to the private contact when known, else the inbox. */
export function inviteeNotice(
  kind: InviteeNoticeKind,
  meeting: NoticeMeeting,
  person: NoticePerson,
  opts: { timeZone: string; dedupe: string; changes?: string[]; reason?: string | null },
): NoticeRequest {
  const when = localTime(meeting.startsAt, opts.timeZone);
  const place = meeting.place ?? '—';
  const reasonZh = opts.reason ? `（原因：${opts.reason}）` : '';
  const reasonEn = opts.reason ? ` (reason: ${opts.reason})` : '';
  const text = ((): { zh: string; en: string } => {
    switch (kind) {
      case 'invited':
        return {
          zh: `诚邀您列席「${meeting.title}」，时间 ${when}，地点 ${place}。请在系统中确认是否参加。`,
          en: `You are invited to sit in on "${meeting.title}" at ${when} (${opts.timeZone}), ${place}. Please accept or decline.`,
        };
      case 'changed':
        return {
          zh: `「${meeting.title}」已变更（${(opts.changes ?? []).join('、')}）：现定于 ${when}，地点 ${place}。`,
          en: `"${meeting.title}" has changed (${(opts.changes ?? []).join(', ')}): now at ${when} (${opts.timeZone}), ${place}.`,
        };
      case 'cancelled':
        return {
          zh: `「${meeting.title}」（原定 ${when}）已取消。`,
          en: `"${meeting.title}" (planned for ${when}, ${opts.timeZone}) has been cancelled.`,
        };
      case 'withdrawn':
        return {
          zh: `您对「${meeting.title}」（${when}）的列席邀请已撤回${reasonZh}。`,
          en: `Your invitation to sit in on "${meeting.title}" (${when}, ${opts.timeZone}) has been withdrawn${reasonEn}.`,
        };
    }
  })();
  const contact = person.contact?.trim() || null;
  return {
    channel: contact ? (contact.includes('@') ? 'email' : 'sms') : 'inbox',
    recipientType: 'participant',
    recipientId: person.id,
    address: contact,
    topic: `invitation.${kind}`,
    text,
    dedupeKey: opts.dedupe,
  };
}
