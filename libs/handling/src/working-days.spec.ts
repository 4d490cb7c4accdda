import {
  addWorkingDays,
  isWorkingDay,
  supervisionLight,
  workingDaysBetween,
  workingDaysUntil,
  type Calendar,
  type DayKind,
} from './working-days';

/** 2026 国庆: Oct 1–7 off (Thu–Wed), Sunday Sep 27 and Saturday Oct 10 are make-up workdays. */
const NATIONAL_DAY: Calendar = new Map<string, DayKind>([
  ...['01', '02', '05', '06', '07'].map((d) => [`2026-10-${d}`, 'holiday'] as [string, DayKind]),
  ['2026-09-27', 'workday'],
  ['2026-10-10', 'workday'],
]);
const NONE: Calendar = new Map();

describe('working-day calendar', () => {
  it('Monday–Friday work, weekends rest, by default', () => {
    expect(isWorkingDay('2026-11-20', NONE)).toBe(true); // Friday
    expect(isWorkingDay('2026-11-21', NONE)).toBe(false); // Saturday
    expect(isWorkingDay('2026-11-22', NONE)).toBe(false); // Sunday
    expect(isWorkingDay('2026-11-23', NONE)).toBe(true); // Monday
  });

  it('a holiday closes a weekday and a make-up workday (调休) opens a weekend day', () => {
    expect(isWorkingDay('2026-10-01', NATIONAL_DAY)).toBe(false);
    expect(isWorkingDay('2026-09-27', NATIONAL_DAY)).toBe(true);
    expect(isWorkingDay('2026-10-10', NATIONAL_DAY)).toBe(true);
  });

  it('counts working days after from up to and including to', () => {
    expect(workingDaysBetween('2026-11-20', '2026-11-23', NONE)).toBe(1); // Fri → Mon
    expect(workingDaysBetween('2026-11-23', '2026-11-27', NONE)).toBe(4);
    expect(workingDaysBetween('2026-11-23', '2026-11-23', NONE)).toBe(0);
    expect(workingDaysBetween('2026-11-23', '2026-11-20', NONE)).toBe(0);
    // Sep 30 (Wed) → Oct 10 (Sat): Oct 8, 9, 10 are the only working days.
    expect(workingDaysBetween('2026-09-30', '2026-10-10', NATIONAL_DAY)).toBe(3);
  });

  it('adds working days across a weekend and across the holiday week', () => {
    expect(addWorkingDays('2026-11-20', 1, NONE)).toBe('2026-11-23');
    expect(addWorkingDays('2026-11-20', 0, NONE)).toBe('2026-11-20');
    expect(addWorkingDays('2026-09-30', 1, NATIONAL_DAY)).toBe('2026-10-08');
    expect(addWorkingDays('2026-09-25', 1, NATIONAL_DAY)).toBe('2026-09-27');
  });
});

describe('supervision light', () => {
  it.each([
    ['2026-11-16', '2026-11-27', 'green'], // 9 working days left
    ['2026-11-23', '2026-11-27', 'green'], // 4 left
    ['2026-11-24', '2026-11-27', 'yellow'], // 3 left
    ['2026-11-27', '2026-11-27', 'yellow'], // due today
    ['2026-11-28', '2026-11-27', 'red'], // one day late (even on a Saturday)
  ])('today %s, deadline %s → %s (K = 3)', (today, deadline, light) => {
    expect(supervisionLight(today, deadline, NONE, 3)).toBe(light);
  });

  it('holidays push an item back to green', () => {
    // Sep 29 → Oct 9: without the holiday 8 working days (yellow at K=8); with it only 3.
    expect(supervisionLight('2026-09-29', '2026-10-09', NONE, 7)).toBe('green');
    expect(supervisionLight('2026-09-29', '2026-10-09', NATIONAL_DAY, 3)).toBe('yellow');
    expect(supervisionLight('2026-09-29', '2026-10-09', NATIONAL_DAY, 2)).toBe('green');
  });

  it('workingDaysUntil gives workingDaysBetween for every day at once (one walk)', () => {
    const days: string[] = [];
    for (let d = '2026-09-01'; d <= '2026-10-31'; d = addDaysUtc(d, 3)) days.push(d, d);
    for (const to of ['2026-10-12', '2026-09-01', '2026-11-30']) {
      const got = workingDaysUntil(days, to, NATIONAL_DAY);
      for (const d of days)
        expect({ d, to, n: got.get(d) }).toEqual({ d, to, n: workingDaysBetween(d, to, NATIONAL_DAY) });
    }
    // 国庆: Sep 30 → Oct 12 holds Oct 8, 9, 10 (make-up Saturday) and 12.
    expect(workingDaysUntil(['2026-09-30'], '2026-10-12', NATIONAL_DAY).get('2026-09-30')).toBe(4);
  });
});

function addDaysUtc(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
