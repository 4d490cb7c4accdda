import { atLocalTime, daysBefore, localDay, nextDay } from './local-day';

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
