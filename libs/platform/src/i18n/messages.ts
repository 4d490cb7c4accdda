import type { Constituency, ErrorCode } from '@liexi/contracts';

export type Locale = 'en' | 'zh-CN';

/** User-facing text for every error code, in both languages the product speaks. */
const ERROR_TEXT: Record<ErrorCode, Record<Locale, string>> = {
  VALIDATION: { en: 'The request is not valid', 'zh-CN': '请求内容不合法' },
  UNAUTHORIZED: { en: 'Not authenticated', 'zh-CN': '身份验证失败' },
  FORBIDDEN: { en: 'You are not allowed to do this', 'zh-CN': '无权执行此操作' },
  NOT_FOUND: { en: 'Not found', 'zh-CN': '未找到' },
  CONFLICT: {
    en: 'Someone else changed this first; reload and try again',
    'zh-CN': '已被他人修改，请刷新后重试',
  },
  RATE_LIMITED: { en: 'Too many requests; slow down', 'zh-CN': '操作过于频繁，请稍后再试' },
  PAYLOAD_TOO_LARGE: { en: 'The request is too large', 'zh-CN': '请求内容过大' },
  SESSION_CLOSED: { en: 'The session is not open', 'zh-CN': '会议不在进行中' },
  INVALID_TRANSITION: { en: 'This step is not allowed now', 'zh-CN': '当前状态不允许此操作' },
  UNAVAILABLE: {
    en: 'The service is busy or briefly unavailable; please retry',
    'zh-CN': '服务繁忙或暂时不可用，请稍后重试',
  },
  INTERNAL: { en: 'Something went wrong on our side', 'zh-CN': '服务器内部错误' },
};

/** 界别: how people and explanations name a constituency. */
export const CONSTITUENCY_TEXT: Record<Constituency, Record<Locale, string>> = {
  deputy: { en: "people's congress deputy", 'zh-CN': '人大代表' },
  cppcc_member: { en: 'CPPCC member', 'zh-CN': '政协委员' },
  citizen_rep: { en: 'citizen representative', 'zh-CN': '市民代表' },
  entrepreneur_rep: { en: 'entrepreneur representative', 'zh-CN': '企业家代表' },
  expert: { en: 'expert', 'zh-CN': '专家' },
  media: { en: 'media', 'zh-CN': '媒体' },
};

export function errorText(code: ErrorCode, locale: Locale): string {
  return ERROR_TEXT[code][locale];
}

/** Picks zh-CN when the client prefers Chinese, English otherwise. */
export function pickLocale(acceptLanguage: string | undefined | null): Locale {
  if (!acceptLanguage) return 'en';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('zh') ? 'zh-CN' : 'en';
}
