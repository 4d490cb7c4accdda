/*
 * The OpenAPI document against the running api, over every operation it lists: each is
 * documented (stable operationId, summary, tags with descriptions, roles or public, a success
 * schema, its errors), a query parameter it does not declare is refused with 400, the ones it
 * declares are accepted, uuid path parameters are checked, and the documented roles are the
 * ones enforced. (Every response here is also checked against the document by `Api`.)
 */
import { randomUUID } from 'node:crypto';
import { offlineOpenApiDocument } from '../apps/api/src/docs/offline-document';
import { Api, startTestApp, type TestApp } from './support/app';

type Json = Record<string, any>;
interface Op {
  method: string;
  path: string;
  op: Json;
}

const LOGIN: Record<string, string> = {
  secretariat: 'secretary',
  leader: 'leader',
  supervisor: 'supervisor',
  unit_handler: 'handler',
  attendee: 'member1',
};
const METHODS = ['get', 'post', 'patch', 'put', 'delete'];

/** A concrete path: uuids for `…Id` parameters (or `bad` for them), a date for `day`. */
const fill = (path: string, bad?: string): string =>
  path.replace(/\{([^}]+)\}/g, (_m, name: string) => (name === 'day' ? '2026-10-01' : (bad ?? randomUUID())));

/** A plausible value for a declared query parameter (`components` resolves a `$ref`). */
function sample(schema: Json, components: Json): string {
  if (schema.$ref)
    return sample(components.schemas[String(schema.$ref).split('/').pop() as string], components);
  if (schema.enum) return String(schema.enum[0]);
  if (schema.example !== undefined) return String(schema.example);
  if (schema.type === 'boolean') return 'true';
  if (schema.type === 'integer' || schema.type === 'number') return String(Math.max(1, schema.minimum ?? 1));
  if (schema.format === 'uuid') return randomUUID();
  if (schema.format === 'date-time') return '2026-11-22T00:00:00.000Z';
  return 'x';
}

describe('the OpenAPI document over every operation', () => {
  let t: TestApp;
  let doc: Json;
  let ops: Op[];
  const as: Record<string, Api> = {};

  beforeAll(async () => {
    t = await startTestApp();
    doc = await new Api(t.baseUrl).ok(new Api(t.baseUrl).get('/api/docs-json'));
    ops = Object.entries(doc.paths as Json).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((method) => ({
        method: method.toUpperCase(),
        path,
        op: item[method],
      })),
    );
    for (const [role, user] of Object.entries(LOGIN)) as[role] = await Api.login(t.baseUrl, user);
  });
  afterAll(async () => {
    await t.close();
  });

  const caller = (o: Op): Api => (o.op.security?.length === 0 ? new Api(t.baseUrl) : as[o.op['x-roles'][0]]);

  it('is version 1 and documents every operation: id, summary, tags, roles, success and error responses', () => {
    expect(doc.info.version).toMatch(/^1\./);
    expect(ops.length).toBeGreaterThan(80);
    const tags = new Map(
      (doc.tags as { name: string; description: string }[]).map((x) => [x.name, x.description]),
    );
    const ids = new Set<string>();
    const problems: string[] = [];
    for (const { method, path, op } of ops) {
      const at = `${method} ${path}`;
      if (!/^[a-z][a-zA-Z]*\.[a-z][a-zA-Z]*$/.test(op.operationId ?? ''))
        problems.push(`${at}: operationId ${op.operationId}`);
      if (ids.has(op.operationId)) problems.push(`${at}: operationId ${op.operationId} twice`);
      ids.add(op.operationId);
      if (!op.summary) problems.push(`${at}: no summary`);
      for (const tag of op.tags ?? [])
        if (!tags.get(tag)) problems.push(`${at}: tag ${tag} has no description`);
      if ((op.tags ?? []).length === 0) problems.push(`${at}: no tag`);
      const isPublic = Array.isArray(op.security) && op.security.length === 0;
      if (!isPublic && !(op['x-roles']?.length > 0)) problems.push(`${at}: neither public nor roles`);
      const ok = Object.entries(op.responses as Json).filter(([s]) => /^2\d\d$/.test(s));
      if (ok.length !== 1) problems.push(`${at}: ${ok.length} success responses`);
      for (const [status, r] of ok)
        if (!r.content && status !== '204') problems.push(`${at}: success without a body schema`);
      // What creates a resource (by its operationId: create, add…, report…, request…, issue…)
      // answers 201, and nothing else does; transitions answer 200.
      const creates = /\.(create|add(?:[A-Z]\w*)?|report[A-Z]\w*|request[A-Z]\w*|issue[A-Z]\w*)$/.test(
        op.operationId ?? '',
      );
      if (creates !== (ok[0]?.[0] === '201')) problems.push(`${at}: ${op.operationId} answers ${ok[0]?.[0]}`);
      if (method === 'POST' && ok[0]?.[0] === '201' && !op.requestBody && !/check-in-code/.test(path))
        problems.push(`${at}: creates without a body`);
      for (const status of ['400', '500', '503'])
        if (!op.responses[status]) problems.push(`${at}: no ${status}`);
      if (!isPublic && !(op.responses['401'] && op.responses['403'])) problems.push(`${at}: no 401/403`);
      if (path.includes('{') && !op.responses['404']) problems.push(`${at}: no 404`);
      const isPage = /Page$/.test(ok[0]?.[1].content?.['application/json']?.schema?.$ref ?? '');
      const query = (op.parameters ?? []).filter((p: Json) => p.in === 'query').map((p: Json) => p.name);
      if (isPage && !(query.includes('limit') && query.includes('cursor')))
        problems.push(`${at}: a page without limit/cursor`);
      for (const p of (op.parameters ?? []).filter((x: Json) => x.in === 'path' && x.name !== 'day'))
        if (p.schema?.format !== 'uuid' && !Array.isArray(p.schema?.enum))
          problems.push(`${at}: path parameter ${p.name} is neither a uuid nor an enum`);
    }
    expect(problems).toEqual([]);
    // Every string a request body carries says how it is checked: a length, format, pattern or enum.
    const unchecked: string[] = [];
    const seen = new Set<string>();
    const walk = (s: Json, at: string): void => {
      if (s.$ref) {
        const name = String(s.$ref).split('/').pop() as string;
        if (!seen.has(name)) {
          seen.add(name);
          walk(doc.components.schemas[name], name);
        }
        return;
      }
      for (const k of ['allOf', 'anyOf', 'oneOf']) for (const x of s[k] ?? []) walk(x, at);
      if (s.type === 'array' && s.items) walk(s.items, `${at}[]`);
      if (s.type === 'string' && !['maxLength', 'format', 'enum', 'pattern'].some((k) => k in s))
        unchecked.push(at);
      for (const [name, p] of Object.entries((s.properties ?? {}) as Json)) walk(p, `${at}.${name}`);
    };
    for (const { op } of ops)
      for (const c of Object.values((op.requestBody?.content ?? {}) as Json)) walk(c.schema, op.operationId);
    expect(unchecked).toEqual([]);
    expect(seen.size).toBeGreaterThan(30);
    // Public routes are documented as public, and only those.
    const publicOps = ops.filter((o) => o.op.security?.length === 0).map((o) => `${o.method} ${o.path}`);
    expect(publicOps.sort()).toEqual(
      [
        'GET /api/health',
        'GET /api/health/live',
        'GET /api/public/tasks',
        'GET /api/public/items',
        'GET /api/public/items/{id}',
        'POST /api/auth/login',
        'POST /api/check-in',
      ].sort(),
    );
  });

  it('is the document the typed client is generated from (built offline, without a database)', async () => {
    expect(doc).toEqual(JSON.parse(JSON.stringify(await offlineOpenApiDocument())));
  });

  it('refuses a query parameter an operation does not declare, with 400 VALIDATION naming it', async () => {
    const wrong: string[] = [];
    for (const o of ops) {
      const res = await caller(o).request<any>(
        o.method,
        `${fill(o.path)}?notDeclared=1`,
        o.method === 'GET' ? undefined : {},
      );
      if (res.status !== 400 || res.body?.code !== 'VALIDATION' || !res.body.fields?.notDeclared)
        wrong.push(`${o.method} ${o.path} → ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('accepts every query parameter an operation declares', async () => {
    const wrong: string[] = [];
    for (const o of ops) {
      for (const p of (o.op.parameters ?? []).filter((x: Json) => x.in === 'query' && x.name !== 'cursor')) {
        const res = await caller(o).request<any>(
          o.method,
          `${fill(o.path)}?${p.name}=${encodeURIComponent(sample(p.schema ?? {}, doc.components))}`,
        );
        if (res.body?.fields?.[p.name])
          wrong.push(`${o.method} ${o.path} ?${p.name} → ${JSON.stringify(res.body.fields)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('refuses a path parameter that is not a uuid where the document says uuid', async () => {
    const wrong: string[] = [];
    for (const o of ops.filter((x) => /\{(id|[a-z]+Id)\}/.test(x.path))) {
      const res = await caller(o).request<any>(
        o.method,
        fill(o.path, 'not-a-uuid'),
        o.method === 'GET' ? undefined : {},
      );
      if (res.status !== 400) wrong.push(`${o.method} ${o.path} → ${res.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('enforces the documented roles: 401 without a token, 403 for a role not listed', async () => {
    const wrong: string[] = [];
    for (const o of ops.filter((x) => x.op.security?.length !== 0)) {
      const anonymous = await new Api(t.baseUrl).request<any>(
        o.method,
        fill(o.path),
        o.method === 'GET' ? undefined : {},
      );
      if (anonymous.status !== 401) wrong.push(`${o.method} ${o.path} without a token → ${anonymous.status}`);
      const outsider = Object.keys(LOGIN).find((r) => !o.op['x-roles'].includes(r));
      if (!outsider) continue;
      const res = await as[outsider].request<any>(
        o.method,
        fill(o.path),
        o.method === 'GET' ? undefined : {},
      );
      if (res.status !== 403) wrong.push(`${o.method} ${o.path} as ${outsider} → ${res.status}`);
    }
    expect(wrong).toEqual([]);
  });
});
