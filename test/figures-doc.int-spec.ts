/* FIGURES.md is the figure definitions, word for word: every figure the product computes is
 * documented (zh/en name, definition, numerator, denominator, parts, the SQL), and the file
 * cannot drift from the code. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIGURES, figuresMarkdown } from '@liexi/insights';

describe('FIGURES.md', () => {
  const doc = readFileSync(join(__dirname, '..', 'FIGURES.md'), 'utf8');

  it('equals what the definitions generate (npm run figures:doc)', () => {
    expect(doc).toBe(figuresMarkdown());
  });

  it('documents every figure with both names, its denominator, numerator and SQL', () => {
    expect(FIGURES.length).toBeGreaterThanOrEqual(12);
    for (const f of FIGURES) {
      const start = doc.indexOf(`## ${f.name.zh} — ${f.name.en} (\`${f.code}\`)`);
      expect({ code: f.code, found: start >= 0 }).toEqual({ code: f.code, found: true });
      const next = doc.indexOf('\n## ', start + 1);
      const section = doc.slice(start, next < 0 ? undefined : next);
      expect(section).toContain(f.definition.zh);
      expect(section).toContain(f.definition.en);
      expect(section).toContain(`- Denominator: \`${f.base}\``);
      expect(section).toContain('- Numerator: ');
      expect(section).toContain(`FROM ${f.table}`);
      for (const p of f.parts) expect(section).toContain(`| \`${p.code}\` | ${p.name.zh} | ${p.name.en} |`);
    }
  });
});
