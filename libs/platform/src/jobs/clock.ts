import { Injectable } from '@nestjs/common';
import { useDateFieldContext } from '../time/date-fields';

/**
 * The time every deadline, light and job decision is computed against. In production it is
 * the system clock; tests (and demos) may set it to a fixed instant with `set`, so reminders,
 * overdue lights and re-inspections are tested without sleeping.
 */
@Injectable()
export class Clock {
  private fixed: Date | null = null;

  constructor() {
    // "Not in the past" in the date fields of DTOs means before today by this clock.
    useDateFieldContext({ now: () => this.now() });
  }

  now(): Date {
    return this.fixed ? new Date(this.fixed.getTime()) : new Date();
  }

  /** Fixes the clock at `instant` (null: back to the system clock). */
  set(instant: Date | null): void {
    this.fixed = instant ? new Date(instant.getTime()) : null;
  }
}
