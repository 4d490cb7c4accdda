/** Error codes every edge (HTTP and socket ack) speaks. */
export const ERROR_CODES = [
  'VALIDATION',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'SESSION_CLOSED',
  'INVALID_TRANSITION',
  /** Retryable: the database is out of reach, busy or too slow right now; nothing was changed or the retry is safe. */
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Field errors: field path → messages. */
export type FieldErrors = Record<string, string[]>;

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  fields?: FieldErrors;
  /** For INVALID_TRANSITION: the actions allowed from the current state. */
  allowed?: string[];
  correlationId?: string;
}

export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
