import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  IsDayOrInstant,
  IsInstant,
  IsLocalDate,
  IsNotBefore,
  parseInstant,
  parseLocalDay,
  today,
  useDateFieldContext,
} from './date-fields';

class MeetingTimes {
  @IsInstant()
  startsAt!: Date;
}

class Deadline {
  @IsLocalDate({ notPast: true })
  deadline!: string;
}

class Period {
  @IsDayOrInstant()
  from!: Date;

  @IsDayOrInstant()
  @IsNotBefore('from')
  to!: Date;
}

function check<T extends object>(cls: new () => T, plain: object): { value: T; errors: string[] } {
  const value = plainToInstance(cls, plain);
  const errors = validateSync(value).flatMap((e) => Object.values(e.constraints ?? {}));
  return { value, errors };
}

describe('date fields', () => {
  afterEach(() => useDateFieldContext({ timeZone: 'Asia/Shanghai', now: () => new Date() }));

  describe('instants', () => {
    test.each([
      ['2027-03-01T09:00:00+08:00', '2027-03-01T01:00:00.000Z'],
      ['2027-03-01T09:00+08:00', '2027-03-01T01:00:00.000Z'],
      ['2027-03-01T01:00:00.123Z', '2027-03-01T01:00:00.123Z'],
      ['2028-02-29T00:00:00-05:00', '2028-02-29T05:00:00.000Z'],
    ])('%s is %s', (text, iso) => {
      expect(parseInstant(text)?.toISOString()).toBe(iso);
      const { value, errors } = check(MeetingTimes, { startsAt: text });
      expect(errors).toEqual([]);
      expect(value.startsAt.toISOString()).toBe(iso);
    });

    test.each([
      ['30 February', '2027-02-30T10:00:00Z'],
      ['29 February of a common year', '2027-02-29T10:00:00Z'],
      ['month 13', '2027-13-01T10:00:00Z'],
      ['hour 24', '2027-03-01T24:00:00Z'],
      ['second 60', '2027-03-01T10:00:60Z'],
      ['no offset (the zone would be a guess)', '2027-03-01T10:00:00'],
      ['a date only', '2027-03-01'],
      ['an expanded year', '+099999-01-01T00:00:00Z'],
      ['a six-digit year', '099999-01-01T00:00:00Z'],
      ['a year before 1900', '0001-01-01T00:00:00Z'],
      ['an offset beyond 14 h', '2027-03-01T10:00:00+15:00'],
      ['a space instead of T', '2027-03-01 10:00:00Z'],
      ['free text Date would parse', 'March 1, 2027 10:00 GMT'],
    ])('refuses %s (%s)', (_why, text) => {
      expect(parseInstant(text)).toBeNull();
      expect(check(MeetingTimes, { startsAt: text }).errors).toEqual([
        'startsAt must be a date and time with an offset, e.g. 2027-03-01T09:00:00+08:00',
      ]);
    });

    test.each([[1_800_000_000_000], [0], [true], [null], [{}], [['2027-03-01T09:00:00Z']]])(
      'refuses %j (epoch numbers and other types)',
      (value) => {
        expect(check(MeetingTimes, { startsAt: value }).errors).toHaveLength(1);
      },
    );
  });

  describe('calendar days', () => {
    beforeEach(() =>
      useDateFieldContext({ timeZone: 'Asia/Shanghai', now: () => new Date('2027-03-01T16:30:00Z') }),
    );

    it('today is read in APP_TIME_ZONE (16:30 UTC is already the next day in Shanghai)', () => {
      expect(today()).toBe('2027-03-02');
      useDateFieldContext({ timeZone: 'UTC' });
      expect(today()).toBe('2027-03-01');
    });

    it('a deadline today or later is accepted; yesterday is refused as past', () => {
      expect(check(Deadline, { deadline: '2027-03-02' }).errors).toEqual([]);
      expect(check(Deadline, { deadline: '2030-12-31' }).errors).toEqual([]);
      expect(check(Deadline, { deadline: '2027-03-01' }).errors).toEqual([
        'deadline must not be in the past',
      ]);
    });

    test.each(['2027-02-30', '2027-04-31', '2027-13-01', '2027-3-1', '20270301', '2027-03-01T00:00:00Z', ''])(
      'refuses %j as a calendar day',
      (text) => {
        expect(parseLocalDay(text)).toBeNull();
        expect(check(Deadline, { deadline: text }).errors).toEqual([
          'deadline must be a calendar date YYYY-MM-DD',
        ]);
      },
    );
  });

  describe('periods', () => {
    it('a day is its midnight in APP_TIME_ZONE; an instant keeps its offset', () => {
      const { value, errors } = check(Period, { from: '2027-01-01', to: '2027-02-01T00:00:00Z' });
      expect(errors).toEqual([]);
      expect(value.from.toISOString()).toBe('2026-12-31T16:00:00.000Z');
      expect(value.to.toISOString()).toBe('2027-02-01T00:00:00.000Z');
    });

    it('refuses from after to, allows an empty period', () => {
      expect(check(Period, { from: '2027-02-01', to: '2027-01-01' }).errors).toEqual([
        'to must not be before from',
      ]);
      expect(check(Period, { from: '2027-02-01', to: '2027-02-01' }).errors).toEqual([]);
    });
  });
});
