// Compiles the monorepo with tsc, then rewrites the @liexi/* path aliases to relative requires.
// One build for every app and script, so `npm start`, `npm run demo` and the migration CLI agree;
// then the screens (apps/web) into dist/web, which the api serves at `/`.
const { execFileSync } = require('node:child_process');
const { rmSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
rmSync(join(root, 'dist'), { recursive: true, force: true });
process.stdout.write('build: compiling TypeScript …\n');
execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
execFileSync(bin('tsc-alias'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
process.stdout.write('build: the screens (apps/web, Vite) …\n');
execFileSync(bin('vite'), ['build', '--config', join(root, 'apps', 'web', 'vite.config.mjs')], {
  cwd: root,
  stdio: 'inherit',
});
process.stdout.write('build: done\n');
