import { addDays, atLocalTime, daysBefore, localDay, nextDay } from './local-day';

describe('local days', () => {
  it('takes the calendar date in the given zone, not in UTC', () => {
    // 17:30 UTC is already the next morning in Shanghai (UTC+8).
    expect(localDay(new Date('2030-03-01T17:30:00Z'), 'Asia/Shanghai')).toBe('2030-03-02');
    expect(localDay(new Date('2030-03-01T17:30:00Z'), 'UTC')).toBe('2030-03-01');
  });

  it('steps to the next day across month and year ends', () => {
    expect(nextDay('2030-02-28')).toBe('2030-03-01');
    expect(nextDay('2032-02-28')).toBe('2032-02-29');
    expect(nextDay('2030-12-31')).toBe('2031-01-01');
  });

  it('finds the instant of a local wall time, with and without daylight saving', () => {
    expect(atLocalTime('2030-03-02', 3, 0, 'Asia/Shanghai').toISOString()).toBe('2030-03-01T19:00:00.000Z');
    // New York: EST (UTC−5) in January, EDT (UTC−4) in July.
    expect(atLocalTime('2030-01-15', 3, 0, 'America/New_York').toISOString()).toBe(
      '2030-01-15T08:00:00.000Z',
    );
    expect(atLocalTime('2030-07-15', 3, 0, 'America/New_York').toISOString()).toBe(
      '2030-07-15T07:00:00.000Z',
    );
  });

  it('counts whole days back', () => {
    expect(daysBefore(new Date('2030-03-31T00:00:00Z'), 30).toISOString()).toBe('2030-03-01T00:00:00.000Z');
  });
});

describe('in Asia/Shanghai, not UTC', () => {
  it('takes the calendar date of the government', () => {
    // 2026-11-22 17:00 UTC is already Monday 01:00 in Shanghai.
    expect(localDay(new Date('2026-11-22T17:00:00Z'), 'Asia/Shanghai')).toBe('2026-11-23');
    expect(localDay(new Date('2026-11-22T15:59:59Z'), 'Asia/Shanghai')).toBe('2026-11-22');
    expect(localDay(new Date('2026-11-22T17:00:00Z'), 'UTC')).toBe('2026-11-22');
  });

  it('puts 08:30 local time on the right instant', () => {
    expect(atLocalTime('2026-11-23', 8, 30, 'Asia/Shanghai').toISOString()).toBe('2026-11-23T00:30:00.000Z');
    expect(atLocalTime('2026-11-23', 8, 30, 'UTC').toISOString()).toBe('2026-11-23T08:30:00.000Z');
    expect(atLocalTime('2026-07-01', 8, 30, 'Europe/Berlin').toISOString()).toBe('2026-07-01T06:30:00.000Z');
  });

  it('adds calendar days across months and backwards', () => {
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });
});
