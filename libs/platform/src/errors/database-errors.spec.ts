import { Logger } from '@nestjs/common';
import { DatabaseError } from 'pg';
import {
  QueryFailedError,
  QueryRunnerAlreadyReleasedError,
  QueryRunnerProviderAlreadyReleasedError,
} from 'typeorm';
import type { ErrorCode } from '@liexi/contracts';
import { fromDatabaseError, isRetryableConflict } from './database-errors';
import { DomainException } from './domain.exception';
import { HTTP_STATUS, toErrorBody } from './error-body';

/** An error as pg raises it: a server message with its SQLSTATE. */
function pgError(
  code: string,
  message: string,
  extra: { detail?: string; constraint?: string } = {},
): DatabaseError {
  const err = new DatabaseError(message, message.length, 'error');
  err.code = code;
  if (extra.detail) err.detail = extra.detail;
  if (extra.constraint) err.constraint = extra.constraint;
  return err;
}

/** A pg or pg-pool error without SQLSTATE: a wait that ran out, a socket that closed. */
function clientError(message: string, code?: string): Error {
  return Object.assign(new Error(message), code ? { code } : {});
}

/** What TypeORM throws around a driver error. */
const queryFailed = (driverError: Error): QueryFailedError =>
  new QueryFailedError('SELECT 1', [], driverError);

const codeOf = (err: unknown): ErrorCode | null => fromDatabaseError(err)?.code ?? null;

describe('fromDatabaseError', () => {
  describe('SQLSTATEs it knows', () => {
    test.each<[string, string, ErrorCode]>([
      ['57014', 'canceling statement due to statement timeout', 'UNAVAILABLE'],
      ['55P03', 'canceling statement due to lock timeout', 'UNAVAILABLE'],
      ['40001', 'could not serialize access due to concurrent update', 'UNAVAILABLE'],
      ['40P01', 'deadlock detected', 'UNAVAILABLE'],
      ['25P03', 'terminating connection due to idle-in-transaction timeout', 'UNAVAILABLE'],
      ['53000', 'insufficient resources', 'UNAVAILABLE'],
      ['53300', 'sorry, too many clients already', 'UNAVAILABLE'],
      ['57P01', 'terminating connection due to administrator command', 'UNAVAILABLE'],
      ['57P02', 'terminating connection due to crash of another server process', 'UNAVAILABLE'],
      ['57P03', 'the database system is starting up', 'UNAVAILABLE'],
      ['08006', 'connection failure', 'UNAVAILABLE'],
      ['08003', 'connection does not exist', 'UNAVAILABLE'],
      ['23505', 'duplicate key value violates unique constraint "ux_unit_name"', 'CONFLICT'],
      [
        '23514',
        'new row for relation "task_item" violates check constraint "ck_task_item_state"',
        'VALIDATION',
      ],
      ['23502', 'null value in column "name" of relation "unit" violates not-null constraint', 'VALIDATION'],
      ['22021', 'invalid byte sequence for encoding "UTF8": 0x00', 'VALIDATION'],
      ['22P02', 'invalid input syntax for type uuid: "not-a-uuid"', 'VALIDATION'],
      ['22001', 'value too long for type character varying(10)', 'VALIDATION'],
    ])('%s (%s) → %s', (sqlState, message, expected) => {
      const err = pgError(sqlState, message);
      expect(codeOf(err)).toBe(expected);
      // TypeORM's QueryFailedError and anything shaped like it: the code sits on driverError.
      expect(codeOf(queryFailed(err))).toBe(expected);
      expect(codeOf({ message: 'query failed', driverError: { code: sqlState, message } })).toBe(expected);
    });

    it('23503 on delete is CONFLICT (others still refer to the row)', () => {
      const err = pgError(
        '23503',
        'update or delete on table "unit" violates foreign key constraint "fk_task_item_lead_unit" on table "task_item"',
      );
      expect(codeOf(err)).toBe('CONFLICT');
      expect(codeOf(queryFailed(err))).toBe('CONFLICT');
    });

    it('23503 on insert is VALIDATION (the referenced row does not exist)', () => {
      const err = pgError(
        '23503',
        'insert or update on table "task_item" violates foreign key constraint "fk_task_item_lead_unit"',
      );
      expect(codeOf(err)).toBe('VALIDATION');
      expect(codeOf(queryFailed(err))).toBe('VALIDATION');
    });

    it('prefers the driver error’s code to the wrapper’s', () => {
      expect(codeOf({ code: '23505', driverError: { code: '57014' } })).toBe('UNAVAILABLE');
    });

    it('answers with a DomainException that carries no driver text', () => {
      const err = fromDatabaseError(
        pgError('23505', 'duplicate key value violates unique constraint "ux_account_username"', {
          detail: 'Key (username)=(bob) already exists.',
          constraint: 'ux_account_username',
        }),
      );
      expect(err).toBeInstanceOf(DomainException);
      expect(err?.detail).not.toContain('bob');
      expect(err?.detail).not.toContain('ux_account_username');
    });
  });

  describe('driver messages without SQLSTATE', () => {
    test.each<[string, string | undefined]>([
      ['timeout exceeded when trying to connect', undefined],
      ['Query read timeout', undefined],
      ['Connection terminated unexpectedly', undefined],
      ['Connection terminated due to connection timeout', undefined],
      ['Client has encountered a connection error and is not queryable', undefined],
      ['connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'],
      ['read ECONNRESET', 'ECONNRESET'],
      ['write EPIPE', 'EPIPE'],
      ['Client was closed and is not queryable', undefined],
      ['Cannot use a pool after calling end on the pool', undefined],
    ])('%s → UNAVAILABLE', (message, code) => {
      expect(codeOf(clientError(message, code))).toBe('UNAVAILABLE');
      expect(codeOf(queryFailed(clientError(message, code)))).toBe('UNAVAILABLE');
    });
  });

  it('a unit of work whose connection was lost meets a released runner → UNAVAILABLE', () => {
    expect(codeOf(new QueryRunnerProviderAlreadyReleasedError())).toBe('UNAVAILABLE');
    expect(codeOf(new QueryRunnerAlreadyReleasedError())).toBe('UNAVAILABLE');
  });

  describe('anything else is not a database condition', () => {
    test.each<[string, unknown]>([
      ['a plain Error', new Error('boom')],
      ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'id')")],
      ['an undefined table (a bug, not a condition)', pgError('42P01', 'relation "nope" does not exist')],
      ['a syntax error', pgError('42601', 'syntax error at or near "SELEC"')],
      ['a numeric code', { code: 23505, message: 'not a SQLSTATE' }],
      ['a string', 'timeout exceeded when trying to connect'],
      ['null', null],
      ['undefined', undefined],
      ['a number', 57014],
    ])('%s → null', (_, err) => {
      expect(fromDatabaseError(err)).toBeNull();
    });
  });
});

describe('isRetryableConflict', () => {
  it('is true for a serialization failure and a deadlock, bare or wrapped', () => {
    for (const code of ['40001', '40P01']) {
      const err = pgError(code, 'conflict');
      expect(isRetryableConflict(err)).toBe(true);
      expect(isRetryableConflict(queryFailed(err))).toBe(true);
      expect(isRetryableConflict({ driverError: { code } })).toBe(true);
    }
  });

  it('is false for every other error', () => {
    for (const code of ['57014', '55P03', '25P03', '23505', '23503', '08006'])
      expect(isRetryableConflict(pgError(code, 'other'))).toBe(false);
    expect(isRetryableConflict(new Error('deadlock detected'))).toBe(false);
    expect(isRetryableConflict(clientError('timeout exceeded when trying to connect'))).toBe(false);
    expect(isRetryableConflict(null)).toBe(false);
    expect(isRetryableConflict(undefined)).toBe(false);
    expect(isRetryableConflict('40001')).toBe(false);
  });
});

describe('toErrorBody with database errors', () => {
  let logged: jest.SpyInstance;

  beforeEach(() => {
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => {
    logged.mockRestore();
  });

  it('a statement timeout becomes UNAVAILABLE (503), without correlation id, not logged as internal', () => {
    const body = toErrorBody(
      queryFailed(pgError('57014', 'canceling statement due to statement timeout')),
      'en',
    );
    expect(body.code).toBe('UNAVAILABLE');
    expect(HTTP_STATUS[body.code]).toBe(503);
    expect(body.message).toContain('The service is busy or briefly unavailable; please retry');
    expect(body.correlationId).toBeUndefined();
    expect(body.message).not.toContain('canceling statement');
    expect(logged).not.toHaveBeenCalled();
  });

  it('a pool that could not hand out a connection becomes UNAVAILABLE, in Chinese for zh-CN', () => {
    const body = toErrorBody(clientError('timeout exceeded when trying to connect'), 'zh-CN');
    expect(body.code).toBe('UNAVAILABLE');
    expect(body.message).toContain('服务繁忙或暂时不可用');
    expect(body.correlationId).toBeUndefined();
    expect(logged).not.toHaveBeenCalled();
  });

  it('a unique violation becomes CONFLICT without the driver’s detail', () => {
    const body = toErrorBody(
      pgError('23505', 'duplicate key value violates unique constraint "ux_account_username"', {
        detail: 'Key (username)=(bob) already exists.',
      }),
      'en',
    );
    expect(body.code).toBe('CONFLICT');
    expect(JSON.stringify(body)).not.toContain('bob');
    expect(JSON.stringify(body)).not.toContain('ux_account_username');
    expect(logged).not.toHaveBeenCalled();
  });

  it('an unknown error stays a masked INTERNAL with a logged correlation id', () => {
    const body = toErrorBody(pgError('42P01', 'relation "secret_table" does not exist'), 'en');
    expect(body.code).toBe('INTERNAL');
    expect(HTTP_STATUS[body.code]).toBe(500);
    expect(body.message).toBe('Something went wrong on our side');
    expect(JSON.stringify(body)).not.toContain('secret_table');
    expect(typeof body.correlationId).toBe('string');
    expect(logged).toHaveBeenCalledTimes(1);
    expect(String(logged.mock.calls[0]?.[0])).toContain(String(body.correlationId));
  });
});

// Node ≥ 20 tries every address of a host name (autoSelectFamily): when `localhost` resolves to
// ::1 and 127.0.0.1 and both refuse, pg gets an AggregateError with code ECONNREFUSED and an
// EMPTY message, so the message match 'connect ECONNREFUSED' never sees it.
it('a refused connection to a host with several addresses is UNAVAILABLE', () => {
  const err = Object.assign(
    new AggregateError([
      new Error('connect ECONNREFUSED ::1:5432'),
      new Error('connect ECONNREFUSED 127.0.0.1:5432'),
    ]),
    { code: 'ECONNREFUSED' },
  );
  expect(err.message).toBe('');
  expect(fromDatabaseError(err)?.code).toBe('UNAVAILABLE');
});
