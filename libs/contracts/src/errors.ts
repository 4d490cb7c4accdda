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
  /** HTTP 413: the request body is larger than the api accepts (100 KB of JSON). */
  'PAYLOAD_TOO_LARGE',
  /** Retryable: the database is out of reach, busy or too slow right now; nothing was changed or the retry is safe. */
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Field errors: field path → messages (in the client's language). */
export type FieldErrors = Record<string, string[]>;

export interface ErrorBody {
  code: ErrorCode;
  /** For people, in the language the client asked for (Accept-Language: zh-CN or English). */
  message: string;
  /** For developers and logs: what exactly went wrong, in English (not for end users). */
  detail?: string;
  fields?: FieldErrors;
  /** For INVALID_TRANSITION: the actions allowed from the current state. */
  allowed?: string[];
  correlationId?: string;
}

export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
