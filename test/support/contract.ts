/*
 * Contract checks: every HTTP response the e2e suite sees through `Api` is validated against the
 * api's own OpenAPI document (status documented, JSON body matching its schema, no undocumented
 * property), and every socket ack and push against the AsyncAPI document. Violations are
 * collected here and fail the test that caused them (test/setup/contract-check.ts).
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export const contractViolations: string[] = [];

type Json = Record<string, unknown>;

/** Objects that list their properties allow no others (so nothing undocumented leaks out). */
function closeObjects(node: unknown): void {
  if (Array.isArray(node)) {
    for (const n of node) closeObjects(n);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const o = node as Json;
  if (o.type === 'object' && o.properties && o.additionalProperties === undefined)
    o.additionalProperties = false;
  // OpenAPI 3.0 `nullable` beside a `$ref`/`allOf` (no `type`): null or the referenced schema.
  if (o.nullable === true && o.type === undefined) {
    const { nullable: _nullable, ...rest } = o;
    for (const k of Object.keys(o)) delete o[k];
    o.anyOf = [rest, { type: 'null' }];
  }
  for (const v of Object.values(o)) closeObjects(v);
}

/** Rewrites local `$ref`s to point into the document registered under `id`. */
function rebase(node: unknown, id: string): unknown {
  if (Array.isArray(node)) return node.map((n) => rebase(n, id));
  if (typeof node !== 'object' || node === null) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json))
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `${id}${v}` : rebase(v, id);
  return out;
}

export function contractAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  return ajv;
}

const pointer = (...parts: string[]): string =>
  parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

export class OpenApiContract {
  private readonly ajv = contractAjv();
  private readonly routes: { method: string; template: string; re: RegExp; op: Json }[] = [];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(doc: Json) {
    const strict = rebase(structuredClone(doc), 'openapi.json') as Json;
    closeObjects(strict);
    this.ajv.addSchema(strict, 'openapi.json');
    const paths = strict.paths as Record<string, Record<string, Json>>;
    for (const [template, item] of Object.entries(paths))
      for (const [method, op] of Object.entries(item)) {
        const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
        this.routes.push({ method: method.toUpperCase(), template, re, op });
      }
    // Literal segments win over parameters (`/invitations/mine` before `/invitations/{id}`).
    const params = (t: string): number => (t.match(/\{/g) ?? []).length;
    this.routes.sort((a, b) => params(a.template) - params(b.template));
  }

  /** What is wrong with this response, or null. */
  check(method: string, url: string, status: number, contentType: string, body: unknown): string | null {
    const path = url.split('?')[0] ?? url;
    const route = this.routes.find((r) => r.method === method && r.re.test(path));
    if (!route) return null; // not an operation of the document (e.g. an unknown route): nothing to check
    const where = `${method} ${route.template} → ${status}`;
    const responses = route.op.responses as Record<string, Json>;
    const key = responses[String(status)] ? String(status) : responses.default ? 'default' : null;
    if (!key) return `${where}: status not documented (documented: ${Object.keys(responses).join(', ')})`;
    const content = responses[key]?.content as Record<string, Json> | undefined;
    if (!contentType.includes('json')) return null;
    if (!content?.['application/json']) return `${where}: a JSON body, none documented`;
    const ref = `openapi.json#/${pointer('paths', route.template, method.toLowerCase(), 'responses', key, 'content', 'application/json', 'schema')}`;
    let validate = this.compiled.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.compiled.set(ref, validate);
    }
    if (validate(body)) return null;
    return `${where}: ${this.ajv.errorsText(validate.errors, { separator: '; ' })} — body ${JSON.stringify(body).slice(0, 400)}`;
  }
}

const contracts = new Map<string, Promise<OpenApiContract>>();

/** The contract of the api at `baseUrl` (its /api/docs-json, fetched once). */
export function openApiContract(baseUrl: string): Promise<OpenApiContract> {
  let c = contracts.get(baseUrl);
  if (!c) {
    c = fetch(`${baseUrl}/api/docs-json`)
      .then((r) => r.json() as Promise<Json>)
      .then((doc) => new OpenApiContract(doc));
    contracts.set(baseUrl, c);
  }
  return c;
}

/** Checks one response; a violation fails the running test. */
export async function checkHttpResponse(
  baseUrl: string,
  method: string,
  url: string,
  status: number,
  contentType: string,
  body: unknown,
): Promise<void> {
  const problem = (await openApiContract(baseUrl)).check(method, url, status, contentType, body);
  if (problem) contractViolations.push(`OpenAPI: ${problem}`);
}

/** The AsyncAPI document's acks and pushes, per namespace (`live`, `supervision`). */
export class AsyncApiContract {
  private readonly ajv = contractAjv();
  private readonly compiled = new Map<string, ValidateFunction | null>();
  private readonly messages: Json;

  constructor(doc: Json) {
    this.ajv.addSchema(rebase(structuredClone(doc), 'asyncapi.json') as Json, 'asyncapi.json');
    this.messages = (doc.components as Json).messages as Json;
  }

  private validator(message: string): ValidateFunction | null {
    if (!this.compiled.has(message))
      this.compiled.set(
        message,
        this.messages[message]
          ? this.ajv.compile({
              $ref: `asyncapi.json#/${pointer('components', 'messages', message, 'payload')}`,
            })
          : null,
      );
    return this.compiled.get(message) ?? null;
  }

  /** What is wrong with this message (the ack of `event`, or a push named `event`), or null. */
  check(namespace: string, event: string, kind: 'ack' | 'push', payload: unknown): string | null {
    const ns = namespace.replace(/^\//, '');
    const message = kind === 'ack' ? `${ns}.${event}.ack` : `${ns}.${event}`;
    const validate = this.validator(message);
    if (!validate) return `${namespace} ${event}: no ${kind} of this name in the document`;
    if (validate(payload)) return null;
    return `${namespace} ${event} ${kind}: ${this.ajv.errorsText(validate.errors, { separator: '; ' })} — ${JSON.stringify(payload).slice(0, 400)}`;
  }
}

const asyncContracts = new Map<string, Promise<AsyncApiContract>>();

export function asyncApiContract(baseUrl: string): Promise<AsyncApiContract> {
  let c = asyncContracts.get(baseUrl);
  if (!c) {
    c = fetch(`${baseUrl}/api/docs/asyncapi`)
      .then((r) => r.json() as Promise<Json>)
      .then((doc) => new AsyncApiContract(doc));
    asyncContracts.set(baseUrl, c);
  }
  return c;
}

interface SocketInternals {
  nsp: string;
  ids: number;
  emit(ev: string, ...args: unknown[]): unknown;
  onack(packet: { id?: number; data: unknown[] }): void;
  onAny(listener: (event: string, ...args: unknown[]) => void): unknown;
}

/**
 * Checks every ack and every push a socket receives against the AsyncAPI document: pushes
 * through `onAny`, acks by remembering which event each ack id was sent with.
 */
export function watchSocket(socket: unknown, contract: AsyncApiContract): void {
  const s = socket as SocketInternals;
  const report = (problem: string | null): void => {
    if (problem) contractViolations.push(`AsyncAPI: ${problem}`);
  };
  s.onAny((event, ...args) => report(contract.check(s.nsp, event, 'push', args[0])));
  const pending = new Map<number, string>();
  const emit = s.emit.bind(s);
  s.emit = (ev: string, ...args: unknown[]): unknown => {
    if (typeof args.at(-1) === 'function') pending.set(s.ids, ev);
    return emit(ev, ...args);
  };
  const onack = s.onack.bind(s);
  s.onack = (packet) => {
    const ev = packet.id === undefined ? undefined : pending.get(packet.id);
    if (ev !== undefined && packet.id !== undefined) {
      pending.delete(packet.id);
      report(contract.check(s.nsp, ev, 'ack', packet.data[0]));
    }
    onack(packet);
  };
}
