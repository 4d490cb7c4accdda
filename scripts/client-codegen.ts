/*
 * The typed client's generated files, from the OpenAPI document the api builds (offline: no
 * database, no server): libs/client/src/schema.ts, its types by openapi-typescript, used through
 * openapi-fetch (libs/client/src/index.ts). The document itself is served at /api/docs-json.
 * `npm run client:generate` writes them; test/client-schema.int-spec.ts fails when they are stale.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { offlineOpenApiDocument } from '../apps/api/src/docs/offline-document';

export const CLIENT_SCHEMA = 'libs/client/src/schema.ts';

const HEADER = `/*
 * GENERATED from the OpenAPI document of /api (v1) by openapi-typescript: do not edit.
 * Regenerate with \`npm run client:generate\` after changing a controller, DTO or view class.
 */
/* eslint-disable */
`;

/**
 * openapi-typescript's types of a document, by its CLI in a plain node process (it loads ES
 * modules that Jest's module system cannot).
 */
function typesOf(document: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'liexi-client-'));
  try {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, document);
    return execFileSync(
      process.execPath,
      [join(dirname(require.resolve('openapi-typescript/package.json')), 'bin', 'cli.js'), file],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Path (from the repository root) → content of every generated file. */
export async function clientFiles(): Promise<Record<string, string>> {
  const document = JSON.stringify(await offlineOpenApiDocument());
  return { [CLIENT_SCHEMA]: `${HEADER}${typesOf(document)}` };
}
