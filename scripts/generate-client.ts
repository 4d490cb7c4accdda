/*
 * `npm run client:generate`: rewrites the typed client's generated files from the code.
 * `npm run client:check`: exits 1 when they differ from what the code would generate.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clientFiles } from './client-codegen';

const ROOT = join(__dirname, '..', '..'); // dist/scripts → repository root

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const [path, content] of Object.entries(await clientFiles())) {
    const file = join(ROOT, path);
    let current: string | null;
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      current = null; // not generated yet
    }
    if (current === content) continue;
    if (check) stale.push(path);
    else {
      writeFileSync(file, content);
      process.stdout.write(`client: wrote ${path}\n`);
    }
  }
  if (stale.length > 0) {
    process.stderr.write(`client: stale, run npm run client:generate: ${stale.join(', ')}\n`);
    process.exit(1);
  }
  process.stdout.write(check ? 'client: up to date\n' : 'client: done\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
