import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { ErrorBody, ErrorCode, FieldErrors } from '@liexi/contracts';
import type { ValidationError } from 'class-validator';
import { fieldText } from '../i18n/field-messages';
import { errorText, type Locale } from '../i18n/messages';
import { fromDatabaseError } from './database-errors';
import { DomainException } from './domain.exception';

export const HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_TRANSITION: 409,
  SESSION_CLOSED: 409,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

/** Flattens class-validator errors into `{ "a.b": ["…"] }`. */
export function fieldErrors(errors: ValidationError[], prefix = ''): FieldErrors {
  const out: FieldErrors = {};
  for (const e of errors) {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints) out[path] = Object.values(e.constraints);
    if (e.children && e.children.length > 0) Object.assign(out, fieldErrors(e.children, path));
  }
  return out;
}

const logger = new Logger('Errors');

/** Field messages in the client's language (the catalog in i18n/field-messages). */
function localizedFields(fields: FieldErrors, locale: Locale): FieldErrors {
  if (locale === 'en') return fields;
  const out: FieldErrors = {};
  for (const [path, messages] of Object.entries(fields))
    out[path] = messages.map((m) => fieldText(m, locale));
  return out;
}

/**
 * Turns anything thrown into the `{code, message, detail?, …}` body both edges send: `message`
 * in the client's language, `detail` the English specifics for developers, field messages in
 * the client's language. Database conditions (a wait that ran out, a kept constraint) get their
 * code; other unknown errors are masked as INTERNAL with a correlation id that is also logged.
 */
export function toErrorBody(thrown: unknown, locale: Locale): ErrorBody {
  const err = thrown instanceof DomainException ? thrown : (fromDatabaseError(thrown) ?? thrown);
  if (err instanceof DomainException) {
    const body: ErrorBody = { code: err.code, message: errorText(err.code, locale), detail: err.detail };
    if (err.extra.fields) body.fields = localizedFields(err.extra.fields, locale);
    if (err.extra.allowed) body.allowed = err.extra.allowed;
    return body;
  }
  const correlationId = randomUUID();
  logger.error(`[${correlationId}] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return { code: 'INTERNAL', message: errorText('INTERNAL', locale), correlationId };
}
