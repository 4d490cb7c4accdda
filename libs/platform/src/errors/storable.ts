import type { FieldErrors } from '@liexi/contracts';
import { DomainException } from './domain.exception';

/** Deeper than this, a request body is refused before anything walks it recursively. */
export const MAX_INPUT_DEPTH = 32;

// eslint-disable-next-line no-control-regex -- NUL is exactly what is looked for
const NUL = /\u0000/;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const problemOf = (text: string): string | null =>
  NUL.test(text)
    ? 'must not contain NUL characters (U+0000)'
    : LONE_SURROGATE.test(text)
      ? 'must not contain a lone UTF-16 surrogate'
      : null;

/** A key as it may appear in a field path (its unstorable characters replaced). */
const pathKey = (key: string): string =>
  // eslint-disable-next-line no-control-regex -- the same characters as above
  key.replace(/[\u0000\ud800-\udfff]/g, '\ufffd');

/**
 * What in a request body, query or socket payload could not be stored verbatim or would take a
 * recursive walk too deep: a NUL byte (PostgreSQL text refuses it), a lone UTF-16 surrogate
 * (it would be stored as U+FFFD, not as given) — in any string, keys included — a `__proto__`
 * key (an unknown field the transformer would drop silently), or nesting deeper than
 * MAX_INPUT_DEPTH. Walked without recursion. Null when all is well.
 */
export function storableProblems(value: unknown, root = ''): FieldErrors | null {
  // A Map, not an object: a path may be "__proto__".
  const problems = new Map<string, string[]>();
  const add = (path: string, message: string): void => {
    const at = path === '' ? 'body' : path;
    problems.set(at, [...(problems.get(at) ?? []), message]);
  };
  const stack: [unknown, string, number][] = [[value, root, 0]];
  while (stack.length > 0) {
    const [v, path, depth] = stack.pop() as [unknown, string, number];
    if (typeof v === 'string') {
      const problem = problemOf(v);
      if (problem) add(path, problem);
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= MAX_INPUT_DEPTH) {
      add(path, 'is nested too deeply');
      continue;
    }
    for (const key of Object.keys(v)) {
      const at = path === '' ? pathKey(key) : `${path}.${pathKey(key)}`;
      const keyProblem = problemOf(key);
      if (keyProblem) add(at, keyProblem);
      // JSON.parse makes "__proto__" an own key; class-transformer would drop it silently.
      else if (key === '__proto__') add(at, 'property __proto__ should not exist');
      stack.push([(v as Record<string, unknown>)[key], at, depth + 1]);
    }
  }
  return problems.size > 0 ? Object.fromEntries<string[]>(problems) : null;
}

/** Throws VALIDATION naming the fields when `storableProblems` finds any. */
export function assertStorable(value: unknown, root = ''): void {
  const fields = storableProblems(value, root);
  if (fields) throw new DomainException('VALIDATION', 'some values cannot be stored as given', { fields });
}
