import { DomainException } from './domain.exception';
import { assertStorable, MAX_INPUT_DEPTH, storableProblems } from './storable';

describe('storableProblems', () => {
  it('accepts what PostgreSQL stores verbatim: control and zero-width characters, emoji, CJK, SQL and HTML', () => {
    expect(
      storableProblems({
        text: 'a\u0001\u0007\u001f\u007f\u200b\u200d\ufeff b',
        emoji: '👍🏽 列席',
        sql: "'; DROP TABLE input; --",
        html: '<script>alert(1)</script>',
        list: ['x', { y: 'z' }],
        n: 1,
        b: true,
        nil: null,
      }),
    ).toBeNull();
  });

  it('names every field with a NUL byte, in values and keys, nested or not', () => {
    expect(storableProblems({ title: 'a\u0000b', agenda: [{ title: 'ok' }, { title: '\u0000' }] })).toEqual({
      title: ['must not contain NUL characters (U+0000)'],
      'agenda.1.title': ['must not contain NUL characters (U+0000)'],
    });
    expect(storableProblems({ 'a\u0000': 1 })).toEqual({
      'a\ufffd': ['must not contain NUL characters (U+0000)'],
    });
  });

  it('refuses a __proto__ key anywhere (JSON.parse makes it an own key)', () => {
    const parsed = JSON.parse('{"a":{"__proto__":{"admin":true}},"__proto__":1}') as unknown;
    expect(storableProblems(parsed)).toEqual(
      Object.fromEntries([
        ['a.__proto__', ['property __proto__ should not exist']],
        ['__proto__', ['property __proto__ should not exist']],
      ]),
    );
  });

  it('refuses lone surrogates (high without low, low without high) but not pairs', () => {
    expect(storableProblems({ a: '\ud83d', b: 'x\ude00', c: '\ud83d\ude00' })).toEqual({
      a: ['must not contain a lone UTF-16 surrogate'],
      b: ['must not contain a lone UTF-16 surrogate'],
    });
  });

  it('refuses nesting deeper than the limit without recursing (100 000 levels)', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const problems = storableProblems({ a: deep });
    expect(Object.values(problems ?? {})).toEqual([['is nested too deeply']]);
    let ok: unknown = 1;
    for (let i = 0; i < MAX_INPUT_DEPTH - 1; i++) ok = { k: ok };
    expect(storableProblems(ok)).toBeNull();
  });

  it('a bare string body is named "body"; assertStorable throws VALIDATION with the fields', () => {
    expect(storableProblems('\u0000')).toEqual({ body: ['must not contain NUL characters (U+0000)'] });
    expect(() => assertStorable({ q: '\u0000' })).toThrow(DomainException);
    try {
      assertStorable({ q: '\u0000' }, 'query');
    } catch (err) {
      expect((err as DomainException).code).toBe('VALIDATION');
      expect((err as DomainException).extra.fields).toEqual({
        'query.q': ['must not contain NUL characters (U+0000)'],
      });
    }
  });
});
