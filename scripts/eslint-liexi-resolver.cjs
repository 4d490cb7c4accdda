// An eslint-import-resolver (interface v2) for eslint-plugin-boundaries: `@liexi/<lib>` is the
// library's entry point, libs/<lib>/src/index.ts (tsconfig "paths"); relative imports resolve to
// the .ts file or folder index; anything else is a package (found = false is fine: external).
const { existsSync, statSync } = require('node:fs');
const { dirname, join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');

function file(base) {
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')])
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  return null;
}

module.exports = {
  interfaceVersion: 2,
  resolve(source, importer) {
    const alias = /^@liexi\/([a-z-]+)$/.exec(source);
    if (alias) {
      const path = file(join(ROOT, 'libs', alias[1], 'src', 'index'));
      return path ? { found: true, path } : { found: false };
    }
    if (source.startsWith('.')) {
      const path = file(resolve(dirname(importer), source));
      return path ? { found: true, path } : { found: false };
    }
    return { found: false };
  },
};
