/* `npm run figures:doc`: writes FIGURES.md from the figure definitions (the code is the source;
 * test/figures-doc.int-spec.ts fails when the file and the code differ). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { figuresMarkdown } from '@liexi/insights';

const path = join(__dirname, '..', '..', 'FIGURES.md');
writeFileSync(path, figuresMarkdown());
process.stdout.write(`figures:doc: wrote ${path}\n`);
