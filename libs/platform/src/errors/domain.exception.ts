import type { ErrorCode, FieldErrors } from '@liexi/contracts';

/**
 * The one exception services throw. It carries a code the edges map to an HTTP status or an
 * ack; `detail` is an English sentence for logs and developers (the edge adds localized text).
 * Services never import HttpException.
 */
export class DomainException extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extra: { fields?: FieldErrors; allowed?: string[] } = {},
  ) {
    super(`${code}: ${detail}`);
    this.name = 'DomainException';
  }
}

export const notFound = (what: string, id: string): DomainException =>
  new DomainException('NOT_FOUND', `${what} ${id} does not exist`);
export const forbidden = (detail: string): DomainException => new DomainException('FORBIDDEN', detail);
export const conflict = (detail: string): DomainException => new DomainException('CONFLICT', detail);
export const invalid = (detail: string, fields?: FieldErrors): DomainException =>
  new DomainException('VALIDATION', detail, fields ? { fields } : {});
