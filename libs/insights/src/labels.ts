/** Chinese labels of the states, classes and ratings, for the ledger export and the reports. */
export const STATE_ZH: Record<string, string> = {
  draft: '草稿',
  assigned: '已交办',
  returned: '已退回',
  accepted: '已接收',
  in_progress: '办理中',
  reply_drafted: '答复拟稿',
  reply_signed: '单位已签发',
  reply_reviewed: '政府办已审核',
  reply_approved: '领导已审批',
  replied: '已答复',
  evaluated: '已评价',
  reopened: '二次办理',
  closed: '已销号',
};

export const RATING_ZH: Record<string, string> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  unsatisfied: '不满意',
};

export const CLASS_ZH: Record<string, string> = {
  A: '当年能够解决或者部分解决',
  B: '三年内能够基本解决',
  C: '受法律法规或客观条件限制不能解决',
};

export const URGENCY_ZH: Record<string, string> = { immediate: '立行立改', long_term: '长期整改' };

/** A rate as the reports print it: 67.6%; "—" when there is no denominator. */
export const percent = (v: number | null | undefined): string =>
  v === null || v === undefined ? '—' : `${(Math.round(v * 1000) / 10).toFixed(1)}%`;

/** n ÷ d as a percentage with one decimal, from the counts (no double rounding); "—" when d is 0. */
export const pct = (n: number | null, d: number): string =>
  n === null || d === 0 ? '—' : `${(Math.round((n / d) * 1000) / 10).toFixed(1)}%`;

/** YYYY-MM-DD of an ISO instant in the app's time zone. */
export const localDate = (iso: string | null, timeZone: string): string =>
  iso ? new Date(iso).toLocaleDateString('sv-SE', { timeZone }) : '';
