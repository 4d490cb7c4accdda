/*
 * The typed client's generated file (libs/client/src/schema.ts) is what the code generates now:
 * a change to a controller, DTO or view class without `npm run client:generate` fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { offlineOpenApiDocument } from '../apps/api/src/docs/offline-document';
import { CLIENT_SCHEMA, clientFiles } from '../scripts/client-codegen';

describe('the generated client', () => {
  let generated: string;

  beforeAll(async () => {
    const files = await clientFiles();
    expect(Object.keys(files)).toEqual([CLIENT_SCHEMA]);
    generated = files[CLIENT_SCHEMA];
  });

  it('is up to date with the OpenAPI document (otherwise: npm run client:generate)', () => {
    const committed = readFileSync(join(__dirname, '..', CLIENT_SCHEMA), 'utf8');
    // Whole-file equality, reported as a flag so that a failure does not print 500 kB.
    expect({ file: CLIENT_SCHEMA, upToDate: committed === generated }).toEqual({
      file: CLIENT_SCHEMA,
      upToDate: true,
    });
  });

  it('types every operation and schema of the document', async () => {
    const doc = await offlineOpenApiDocument();
    const ids = Object.values(doc.paths).flatMap((item) =>
      ['get', 'post', 'patch', 'put', 'delete'].flatMap(
        (m) => (item as Record<string, { operationId?: string } | undefined>)[m]?.operationId ?? [],
      ),
    );
    expect(ids.length).toBeGreaterThan(80);
    const missing = [
      ...ids.filter((id) => !generated.includes(`"${id}": {`)),
      ...Object.keys(doc.components?.schemas ?? {}).filter(
        (name) => !new RegExp(`\\n\\s+${name}: `).test(generated),
      ),
    ];
    expect(missing).toEqual([]);
  });
});
