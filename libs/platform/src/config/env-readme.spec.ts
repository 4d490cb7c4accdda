import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENV_VARIABLES } from './env-schema';

/** The README's configuration tables are the operator's reference: every variable the schema reads. */
describe('README configuration tables', () => {
  const readme = readFileSync(join(__dirname, '../../../../README.md'), 'utf8');
  const documented = new Set(
    readme
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1])),
  );

  it.each(ENV_VARIABLES)('lists %s', (variable) => {
    expect(documented.has(variable)).toBe(true);
  });

  it('lists no variable the schema does not read', () => {
    expect([...documented].filter((v) => !(ENV_VARIABLES as string[]).includes(v))).toEqual([]);
  });
});
