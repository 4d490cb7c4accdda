import type { Rest } from '../api/rest';

/*
 * Where the insights API (issue 10: figures such as reply, satisfaction and on-time rates, unit
 * rankings, ledger and report exports, the notifications inbox) plugs into the dashboard. Until it
 * lands the dashboard shows what exists today (supervision dashboard, ledger, attendance figures)
 * and these hooks answer "not available"; each becomes one call in `api/rest.ts` plus a panel.
 */

export interface InsightsFigures {
  /** e.g. replyRate, satisfactionRate, firstTimeSatisfactionRate, onTimeRate (0–1), per period. */
  rates: Record<string, number | null>;
  /** Units ranked by a figure (排名通报). */
  rankings: { unitId: string; unitName: string; value: number }[];
}

/** Issue 10's figures; null while the api has none. */
export function loadInsightsFigures(_rest: Rest): Promise<InsightsFigures | null> {
  return Promise.resolve(null);
}

/** Issue 10's report exports (spreadsheets, PDFs): links to download; empty while there are none. */
export function insightsExports(): { href: string; label: { zh: string; en: string } }[] {
  return [];
}
