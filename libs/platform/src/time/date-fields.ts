import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { atLocalTime, localDay } from './local-day';

/**
 * Dates on every edge, one way: the decorators every DTO uses for its date fields.
 *
 * - An **instant** (a meeting's start) is ISO 8601 with a four-digit year and an explicit offset:
 *   `2027-03-01T09:00:00+08:00` or `…Z`. No epoch numbers, no `+099999`, no wall time without
 *   an offset (whose zone would be the server's guess), no 30 February.
 * - A **calendar day** (a deadline) is `YYYY-MM-DD`, a day that exists; `notPast` refuses days
 *   before today in APP_TIME_ZONE.
 * - A **day or instant** (a figures period): a day is read as its midnight in APP_TIME_ZONE.
 */

/** The government's zone and the clock "today" is read from (set by PlatformModule and Clock). */
const context = { timeZone: 'Asia/Shanghai', now: (): Date => new Date() };

/** PlatformModule sets the zone from APP_TIME_ZONE; the jobs' Clock makes itself the clock (tests may fix it). */
export function useDateFieldContext(ctx: { timeZone?: string; now?: () => Date }): void {
  if (ctx.timeZone) context.timeZone = ctx.timeZone;
  if (ctx.now) context.now = ctx.now;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;
const MIN_YEAR = 1900;

function realDay(y: number, m: number, d: number): boolean {
  if (y < MIN_YEAR || m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** `YYYY-MM-DD` naming a day that exists, or null. */
export function parseLocalDay(text: unknown): string | null {
  if (typeof text !== 'string') return null;
  const m = DAY.exec(text);
  return m && realDay(Number(m[1]), Number(m[2]), Number(m[3])) ? text : null;
}

/** An ISO 8601 date-time with an offset, checked field by field (not Date's lenient parser), or null. */
export function parseInstant(text: unknown): Date | null {
  if (typeof text !== 'string') return null;
  const m = INSTANT.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number);
  if (!realDay(Number(y), Number(mo), Number(d))) return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  if (m[7] !== 'Z' && (Number(m[8]) > 14 || Number(m[9]) > 59)) return null;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** Today in APP_TIME_ZONE, by the app's clock. */
export const today = (): string => localDay(context.now(), context.timeZone);

const isDate = (v: unknown): boolean => v instanceof Date && !Number.isNaN(v.getTime());

/** Applies a class-transformer and class-validator decorator pair as one. */
function both(a: PropertyDecorator, b: PropertyDecorator): PropertyDecorator {
  return (target, key) => {
    a(target, key);
    b(target, key);
  };
}

/** An instant: ISO 8601 with an offset (becomes a Date). */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return both(
    Transform(({ value }: { value: unknown }) => parseInstant(value) ?? value),
    ValidateBy(
      {
        name: 'isInstant',
        validator: {
          validate: isDate,
          defaultMessage: (a?: ValidationArguments) =>
            `${a?.property ?? 'value'} must be a date and time with an offset, e.g. 2027-03-01T09:00:00+08:00`,
        },
      },
      options,
    ),
  );
}

/** A calendar day `YYYY-MM-DD` that exists (stays a string); `notPast`: not before today in APP_TIME_ZONE. */
export function IsLocalDate(
  opts: { notPast?: boolean } = {},
  options?: ValidationOptions,
): PropertyDecorator {
  const calendar = ValidateBy(
    {
      name: 'isLocalDate',
      validator: {
        validate: (v: unknown) => parseLocalDay(v) !== null,
        defaultMessage: (a?: ValidationArguments) =>
          `${a?.property ?? 'value'} must be a calendar date YYYY-MM-DD`,
      },
    },
    options,
  );
  if (!opts.notPast) return calendar;
  const notPast = ValidateBy(
    {
      name: 'isNotPast',
      validator: {
        // A malformed day is the calendar check's to report.
        validate: (v: unknown) => parseLocalDay(v) === null || (v as string) >= today(),
        defaultMessage: (a?: ValidationArguments) => `${a?.property ?? 'value'} must not be in the past`,
      },
    },
    options,
  );
  return both(calendar, notPast);
}

/** A period bound: a day (its midnight in APP_TIME_ZONE) or an instant with an offset (becomes a Date). */
export function IsDayOrInstant(options?: ValidationOptions): PropertyDecorator {
  return both(
    Transform(({ value }: { value: unknown }) => {
      const day = parseLocalDay(value);
      return day ? atLocalTime(day, 0, 0, context.timeZone) : (parseInstant(value) ?? value);
    }),
    ValidateBy(
      {
        name: 'isDayOrInstant',
        validator: {
          validate: isDate,
          defaultMessage: (a?: ValidationArguments) =>
            `${a?.property ?? 'value'} must be a date YYYY-MM-DD or a date and time with an offset`,
        },
      },
      options,
    ),
  );
}

/** Not before the sibling field `other` (both Dates or both days); skipped while either is missing or invalid. */
export function IsNotBefore(other: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNotBefore',
      constraints: [other],
      validator: {
        validate: (v: unknown, a?: ValidationArguments) => {
          const o = (a?.object as Record<string, unknown> | undefined)?.[other];
          if (isDate(v) && isDate(o)) return (v as Date).getTime() >= (o as Date).getTime();
          if (typeof v === 'string' && typeof o === 'string' && parseLocalDay(v) && parseLocalDay(o))
            return v >= o;
          return true;
        },
        defaultMessage: (a?: ValidationArguments) => `${a?.property ?? 'value'} must not be before ${other}`,
      },
    },
    options,
  );
}
