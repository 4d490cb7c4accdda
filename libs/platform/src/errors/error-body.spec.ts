import { Logger } from '@nestjs/common';
import { ValidationError } from 'class-validator';
import { pickLocale } from '../i18n/messages';
import { DomainException, conflict, notFound } from './domain.exception';
import { HTTP_STATUS, fieldErrors, toErrorBody } from './error-body';

function validationError(
  property: string,
  constraints?: Record<string, string>,
  children: ValidationError[] = [],
): ValidationError {
  const e = new ValidationError();
  e.property = property;
  e.constraints = constraints;
  e.children = children;
  return e;
}

describe('toErrorBody', () => {
  let logged: jest.SpyInstance;

  beforeEach(() => {
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => {
    logged.mockRestore();
  });

  describe('a DomainException', () => {
    const err = new DomainException('INVALID_TRANSITION', 'task t1 cannot close from draft', {
      fields: { state: ['must be evaluated'] },
      allowed: ['assign'],
    });

    it('keeps code, fields and allowed', () => {
      const body = toErrorBody(err, 'en');
      expect(body.code).toBe('INVALID_TRANSITION');
      expect(body.fields).toEqual({ state: ['must be evaluated'] });
      expect(body.allowed).toEqual(['assign']);
      expect(body.correlationId).toBeUndefined();
    });

    it('speaks Chinese for zh-CN', () => {
      const body = toErrorBody(err, 'zh-CN');
      expect(body.message).toContain('当前状态不允许此操作');
      expect(body.message).not.toContain('This step is not allowed now');
    });

    it('speaks English otherwise', () => {
      const body = toErrorBody(err, 'en');
      expect(body.message).toContain('This step is not allowed now');
      expect(body.message).not.toContain('当前状态不允许此操作');
    });

    // Was: the English detail appended to the localized message ("未找到: meeting m-42 does not
    // exist"). The message is now in one language; the English detail has a field of its own.
    it('keeps the English detail apart from the localized message', () => {
      expect(toErrorBody(notFound('meeting', 'm-42'), 'zh-CN')).toMatchObject({
        message: '未找到',
        detail: 'meeting m-42 does not exist',
      });
      expect(toErrorBody(conflict('version 3 is stale'), 'en')).toMatchObject({
        message: 'Someone else changed this first; reload and try again',
        detail: 'version 3 is stale',
      });
    });

    it('localizes field messages for zh-CN and keeps them as written for English', () => {
      const err = new DomainException('VALIDATION', 'some fields are not valid', {
        fields: {
          title: ['title must be shorter than or equal to 300 characters'],
          extra: ['property extra should not exist'],
          endsAt: ['must be after startsAt'],
          'agenda.0.topics': ['each value in topics must be a string'],
        },
      });
      expect(toErrorBody(err, 'zh-CN').fields).toEqual({
        title: ['title 长度不得超过 300 个字符'],
        extra: ['不允许的字段 extra'],
        endsAt: ['须晚于开始时间（startsAt）'],
        'agenda.0.topics': ['topics 的每一项须为字符串'],
      });
      expect(toErrorBody(err, 'en').fields).toEqual(err.extra.fields);
    });

    it('leaves out fields and allowed when there are none', () => {
      const body = toErrorBody(notFound('task', 't1'), 'en');
      expect(body).toEqual({ code: 'NOT_FOUND', message: 'Not found', detail: 'task t1 does not exist' });
      expect('fields' in body).toBe(false);
      expect('allowed' in body).toBe(false);
    });

    it('is not logged as an internal error', () => {
      toErrorBody(err, 'en');
      expect(logged).not.toHaveBeenCalled();
    });
  });

  describe('an unknown error', () => {
    const secret = 'connection to 10.0.0.5 failed: password authentication failed for user "liexi"';

    it('becomes INTERNAL with a correlation id and hides the original message', () => {
      const body = toErrorBody(new Error(secret), 'en');
      expect(body.code).toBe('INTERNAL');
      expect(body.message).toBe('Something went wrong on our side');
      expect(body.correlationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(JSON.stringify(body)).not.toContain('10.0.0.5');
      expect(JSON.stringify(body)).not.toContain('password authentication');
      expect(body.fields).toBeUndefined();
      expect(body.allowed).toBeUndefined();
    });

    it('is localized for zh-CN', () => {
      const body = toErrorBody(new Error(secret), 'zh-CN');
      expect(body.code).toBe('INTERNAL');
      expect(body.message).toBe('服务器内部错误');
    });

    it('logs the original with the same correlation id', () => {
      const body = toErrorBody(new Error(secret), 'en');
      expect(logged).toHaveBeenCalledTimes(1);
      const line = String(logged.mock.calls[0]?.[0]);
      expect(line).toContain(body.correlationId);
      expect(line).toContain(secret);
    });

    it('gives each error its own correlation id', () => {
      const a = toErrorBody(new Error('a'), 'en');
      const b = toErrorBody(new Error('b'), 'en');
      expect(a.correlationId).not.toBe(b.correlationId);
    });

    it('handles things thrown that are not Errors', () => {
      const body = toErrorBody('a string with a secret', 'en');
      expect(body.code).toBe('INTERNAL');
      expect(typeof body.correlationId).toBe('string');
      expect(JSON.stringify(body)).not.toContain('secret');
      expect(toErrorBody(undefined, 'en').code).toBe('INTERNAL');
    });
  });

  it('maps every code to an HTTP status', () => {
    expect(HTTP_STATUS.VALIDATION).toBe(400);
    expect(HTTP_STATUS.NOT_FOUND).toBe(404);
    expect(HTTP_STATUS.INVALID_TRANSITION).toBe(409);
    expect(HTTP_STATUS.INTERNAL).toBe(500);
  });
});

describe('fieldErrors', () => {
  it('flattens nested children into dotted paths', () => {
    const errors = [
      validationError('title', { isNotEmpty: 'title should not be empty' }),
      validationError('task', undefined, [
        validationError('deadline', {
          isDateString: 'deadline must be a date',
          isFuture: 'deadline must be in the future',
        }),
        validationError('units', undefined, [
          validationError('0', undefined, [validationError('unitId', { isUuid: 'unitId must be a UUID' })]),
        ]),
      ]),
    ];
    expect(fieldErrors(errors)).toEqual({
      title: ['title should not be empty'],
      'task.deadline': ['deadline must be a date', 'deadline must be in the future'],
      'task.units.0.unitId': ['unitId must be a UUID'],
    });
  });

  it('keeps the constraints of a parent that also has children', () => {
    const errors = [
      validationError('reply', { isObject: 'reply must be an object' }, [
        validationError('text', { maxLength: 'text is too long' }),
      ]),
    ];
    expect(fieldErrors(errors)).toEqual({
      reply: ['reply must be an object'],
      'reply.text': ['text is too long'],
    });
  });

  it('uses the given prefix and returns nothing for no errors', () => {
    expect(fieldErrors([validationError('name', { isString: 'bad' })], 'body')).toEqual({
      'body.name': ['bad'],
    });
    expect(fieldErrors([])).toEqual({});
  });
});

describe('pickLocale', () => {
  test.each([
    ['zh-CN,zh;q=0.9', 'zh-CN'],
    ['zh-TW', 'zh-CN'],
    ['ZH', 'zh-CN'],
    ['en-US,en;q=0.9,zh-CN;q=0.8', 'en'],
    ['fr', 'en'],
    ['', 'en'],
  ])('%j → %s', (header, locale) => {
    expect(pickLocale(header)).toBe(locale);
  });

  it('defaults to English without a header', () => {
    expect(pickLocale(undefined)).toBe('en');
    expect(pickLocale(null)).toBe('en');
  });
});
