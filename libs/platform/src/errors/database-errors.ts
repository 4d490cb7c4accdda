import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { DomainException } from './domain.exception';

/** What the driver (pg, pg-pool) or TypeORM's QueryFailedError carries. */
interface DriverErrorLike {
  code?: unknown;
  message?: unknown;
  detail?: unknown;
  constraint?: unknown;
  /** For a foreign key violation: the referring table (both on insert and on delete). */
  table?: unknown;
  driverError?: DriverErrorLike;
}

/** Retried by the unit of work before anything is answered: deadlock, serialization failure. */
export function isRetryableConflict(err: unknown): boolean {
  const code = sqlState(err);
  return code === '40001' || code === '40P01';
}

function sqlState(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as DriverErrorLike;
  const code = e.driverError?.code ?? e.code;
  return typeof code === 'string' ? code : undefined;
}

const NAME = /^[a-z][a-z0-9_]*$/;

/**
 * Which reference a foreign key violation is about, for the message: the referring table and
 * column (keys are named `fk_<table>_<column>`), e.g. ` (task item: task_item.agenda_item_id)`.
 * Schema names only — never the statement, the key values or the driver's text.
 */
function foreignKeyReference(err: DriverErrorLike): string {
  const table = err.driverError?.table ?? err.table;
  const constraint = err.driverError?.constraint ?? err.constraint;
  if (typeof table !== 'string' || !NAME.test(table)) return '';
  const prefix = `fk_${table}_`;
  const column =
    typeof constraint === 'string' && NAME.test(constraint) && constraint.startsWith(prefix)
      ? constraint.slice(prefix.length)
      : null;
  return ` (${table.replace(/_/g, ' ')}: ${column ? `${table}.${column}` : table})`;
}

/** Messages of pg and pg-pool when a wait ran out or the connection is gone (no SQLSTATE). */
const UNREACHABLE = [
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'Connection terminated',
  'Client has encountered a connection error',
  'connect ECONNREFUSED',
  'read ECONNRESET',
  'write EPIPE',
  'Client was closed',
  'Cannot use a pool after calling end',
];

/**
 * Socket error codes of a lost or refused connection. Node ≥ 20 tries every address of a host
 * (autoSelectFamily) and, when all fail, raises an AggregateError with the code and NO message.
 */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * Turns a database error into the domain's answer: a wait that ran out or a lost connection
 * is UNAVAILABLE (retryable, HTTP 503); a constraint the database keeps is CONFLICT or
 * VALIDATION. Anything else is not a database condition the client can act on: null.
 */
export function fromDatabaseError(err: unknown): DomainException | null {
  if (typeof err !== 'object' || err === null) return null;
  // Inside a unit of work TypeORM gives the transaction's connection back early only when that
  // connection failed (its 'error': the server was killed or restarted); the next statement of
  // the unit of work then meets a released runner. Nothing was committed: retryable.
  if (
    err instanceof QueryRunnerProviderAlreadyReleasedError ||
    err instanceof QueryRunnerAlreadyReleasedError
  )
    return new DomainException('UNAVAILABLE', 'the connection to the database was lost');
  const code = sqlState(err) ?? '';
  const raw = (err as DriverErrorLike).message;
  const message = typeof raw === 'string' ? raw : '';
  switch (code) {
    case '57014':
      return new DomainException('UNAVAILABLE', 'the database did not answer in time');
    case '55P03':
      return new DomainException('UNAVAILABLE', 'a record is busy; try again');
    case '40001':
    case '40P01':
      return new DomainException('UNAVAILABLE', 'concurrent changes collided; try again');
    case '25P03':
      return new DomainException('UNAVAILABLE', 'the unit of work took too long');
    case '53000':
    case '53300':
    case '57P01':
    case '57P02':
    case '57P03':
      return new DomainException('UNAVAILABLE', 'the database is not accepting work right now');
    // A key ON DELETE RESTRICT answers 23001 (restrict_violation), NO ACTION answers 23503.
    case '23001':
    case '23503': {
      const where = foreignKeyReference(err);
      return code === '23001' || message.includes('update or delete on table')
        ? new DomainException('CONFLICT', `other records still refer to this one${where}`)
        : new DomainException('VALIDATION', `a referenced record does not exist${where}`);
    }
    case '23505':
      return new DomainException('CONFLICT', 'this record already exists');
    case '23514':
    case '23502':
      return new DomainException('VALIDATION', 'a value breaks a rule of the records');
    default:
      break;
  }
  if (code.startsWith('08'))
    return new DomainException('UNAVAILABLE', 'the connection to the database was lost');
  if (code.startsWith('22')) return new DomainException('VALIDATION', 'a value cannot be stored as given');
  if (UNREACHABLE_CODES.has(code) || UNREACHABLE.some((m) => message.includes(m)))
    return new DomainException('UNAVAILABLE', 'the database is out of reach or busy');
  return null;
}
