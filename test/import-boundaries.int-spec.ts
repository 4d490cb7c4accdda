/* The lint configuration enforces the house plan's import boundaries: ESLint (the project's own
 * configuration, as `npm run lint` runs it) on source text standing in for a library's file. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..');
const run = promisify(execFile);

/** The rules ESLint reports for `code` as if it were the file `path`, with their lines. */
async function lint(path: string, code: string): Promise<string[]> {
  const linting = run(
    process.execPath,
    [join(ROOT, 'node_modules', '.bin', 'eslint'), '--stdin', '--stdin-filename', path, '-f', 'json'],
    { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
  );
  linting.child.stdin?.end(code);
  // ESLint exits 1 when it reports errors: its report is on stdout either way.
  const { stdout } = await linting.catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '[]' }));
  const [result] = JSON.parse(stdout) as { messages: { ruleId: string | null; line: number }[] }[];
  return (result?.messages ?? []).map((m) => `${m.line}:${m.ruleId ?? 'parse'}`);
}

describe('import boundaries in lint', () => {
  it('refuses another context’s entity or internal file, and a library reaching up', async () => {
    const [live, platform, fine] = await Promise.all([
      lint(
        'libs/live/src/index.ts',
        [
          "import { MeetingEntity } from '@liexi/meetings';",
          "import { MeetingsService } from '../../meetings/src/meetings.service';",
          'export const used = [MeetingEntity, MeetingsService];',
          '',
        ].join('\n'),
      ),
      lint(
        'libs/platform/src/index.ts',
        [
          "import { MeetingsService } from '@liexi/meetings';",
          'export const used = [MeetingsService];',
          '',
        ].join('\n'),
      ),
      lint(
        'libs/live/src/index.ts',
        ["import { DrainState } from '@liexi/platform';", 'export const used = [DrainState];', ''].join('\n'),
      ),
    ]);
    expect(live).toEqual(['1:@typescript-eslint/no-restricted-imports', '2:boundaries/dependencies']);
    expect(platform).toEqual(['1:boundaries/dependencies']);
    expect(fine).toEqual([]);
  }, 180_000);
});
