/**
 * Working days and the supervision light, as pure functions over calendar dates (YYYY-MM-DD in
 * the app's time zone, Asia/Shanghai by default). Monday–Friday are working days unless the
 * holiday calendar says otherwise: `holiday` closes a weekday (法定节假日), `workday` opens a
 * weekend day (调休 make-up workday).
 */
import { addDays } from '@liexi/platform';

export type DayKind = 'holiday' | 'workday';
export type Calendar = ReadonlyMap<string, DayKind>;
export type Light = 'green' | 'yellow' | 'red';

function toUtc(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1);
}

export function isWorkingDay(day: string, calendar: Calendar): boolean {
  const kind = calendar.get(day);
  if (kind === 'holiday') return false;
  if (kind === 'workday') return true;
  const weekday = new Date(toUtc(day)).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * Working days d with from < d ≤ to (0 when to ≤ from). "Due within K working days" means
 * workingDaysBetween(today, deadline) ≤ K.
 */
export function workingDaysBetween(from: string, to: string, calendar: Calendar): number {
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d, calendar)) n++;
  return n;
}

/**
 * workingDaysBetween(d, to) for many days d at once, in one backward walk from `to` to the
 * earliest of them (overdue days of thousands of deadlines: one pass, not one per deadline).
 */
export function workingDaysUntil(
  days: Iterable<string>,
  to: string,
  calendar: Calendar,
): Map<string, number> {
  const out = new Map<string, number>();
  let n = 0;
  let d = to;
  for (const day of [...new Set(days)].sort().reverse()) {
    for (; d > day; d = addDays(d, -1)) if (isWorkingDay(d, calendar)) n++;
    out.set(day, n);
  }
  return out;
}

/** The n-th working day after `from` (n ≥ 1); n = 0 gives `from` itself. */
export function addWorkingDays(from: string, n: number, calendar: Calendar): string {
  let d = from;
  for (let left = n; left > 0;) {
    d = addDays(d, 1);
    if (isWorkingDay(d, calendar)) left--;
  }
  return d;
}

/**
 * The supervision light of an open item on `today`: red once the deadline has passed, yellow
 * when it is due within `yellowDays` working days (the deadline day itself included), green
 * otherwise.
 */
export function supervisionLight(
  today: string,
  deadline: string,
  calendar: Calendar,
  yellowDays: number,
): Light {
  if (today > deadline) return 'red';
  // Counts only as far as it matters: a far deadline is green after yellowDays + 1 working days.
  let n = 0;
  for (let d = addDays(today, 1); d <= deadline; d = addDays(d, 1))
    if (isWorkingDay(d, calendar) && ++n > yellowDays) return 'green';
  return 'yellow';
}
