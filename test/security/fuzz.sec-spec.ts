/* Property-based fuzzing (fast-check) of every DTO the api reads, over HTTP and over sockets:
 * unknown fields, wrong types, huge and deeply nested values, `__proto__`, NUL, control and
 * zero-width characters, lone surrogates, SQL and HTML text. Every answer is a 4xx with a code
 * (or a refused ack) — never a 5xx, never INTERNAL, never a dropped socket — and text that is
 * accepted is stored and returned verbatim. Run counts are modest (the suite stays well under a
 * minute); a failure prints the seed and the shrunk counterexample to replay it. */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { getMetadataStorage } from 'class-validator';
import { Client } from 'pg';
import type { Socket } from 'socket.io-client';
import { ERROR_CODES, ROLES, type Role } from '@liexi/contracts';
import { hasFieldText } from '@liexi/platform';
import { LiveGateway } from '../../apps/api/src/live/live.gateway';
import { SupervisionGateway } from '../../apps/api/src/live/supervision.gateway';
import { Api, connectNamespace, emitAck, startTestApp, type TestApp } from '../support/app';
import { demoMeetingId } from '../support/demo-meeting';
import { discoverHttpRoutes } from './support/discover';

const RUNS_PER_ROUTE = 6;
const RUNS_PER_EVENT = 12;

// ---- hostile values -------------------------------------------------------------------------

const nest = (depth: number): unknown => {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { a: v };
  return v;
};

/** Text an attacker would try; the ones PostgreSQL can store verbatim are the first block. */
const STORABLE_NASTY = [
  '\u200b\u200d\ufeff零宽',
  '\u202eevil\u202c',
  '\u0007\u001b[31m\u007f\t\r\n',
  "'; DROP TABLE unit; --",
  "' OR '1'='1",
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '${7*7}{{7*7}}',
  '../../etc/passwd',
  '%00%0d%0a',
  '😀👨‍👩‍👧🇨🇳',
  '中文，全角！',
  ' 前后空格 ',
  '__proto__',
  'constructor',
];
const UNSTORABLE = ['\u0000', 'a\u0000b', '\ud800', 'x\udfff', '\udc00\ud800'];

const storableText = fc.oneof(
  fc.constantFrom(...STORABLE_NASTY),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).filter((s) => !s.includes('\u0000')),
  fc
    .tuple(fc.constantFrom(...STORABLE_NASTY), fc.string({ unit: 'grapheme', maxLength: 10 }))
    .map(([a, b]) => `${b}${a}${b}`),
);
const text = fc.oneof(
  { weight: 4, arbitrary: storableText },
  { weight: 2, arbitrary: fc.constantFrom(...UNSTORABLE) },
  fc.constantFrom('', ' ', 'x'.repeat(5000)),
  fc.uuid(),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2027-02-30T10:00:00Z', '+099999-01-01T00:00:00Z', '2027-03-01', '1700000000000'),
);
const scalar = fc.oneof(
  { weight: 3, arbitrary: text },
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 2 ** 31, 2 ** 53 + 1, 1e308, true, false, null),
);
const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', '$where', 'a.b', ''),
  fc.constantFrom(...UNSTORABLE),
  fc.string({ maxLength: 8 }),
);
const value = (depthLimit: number) =>
  fc.oneof(
    { weight: 5, arbitrary: scalar },
    fc.array(scalar, { maxLength: 4 }),
    fc.dictionary(hostileKey, scalar, { maxKeys: 3 }),
    fc.integer({ min: 5, max: depthLimit }).map(nest),
  );

/** A body built from the DTO's own field names (so validation runs on them) and hostile ones. */
const bodyOf = (fields: readonly string[], depthLimit: number) =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.dictionary(
        fields.length > 0
          ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...fields) }, hostileKey)
          : hostileKey,
        value(depthLimit),
        { maxKeys: 6 },
      ),
    },
    value(depthLimit),
  );

/** Raw bodies no JSON encoder produces. */
const RAW_BODIES = [
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"admin":true}}}',
  `${'['.repeat(50_000)}${']'.repeat(50_000)}`,
  '{"a":',
  '\u0000',
  '{"a":"\\ud800"}',
  'null',
  '"text"',
  JSON.stringify({ x: 'x'.repeat(120_000) }),
];

/** Query fragments no encoder produces: bad escapes, NUL, invalid UTF-8, a repeated key. */
const RAW_QUERY = ['from=%00', 'q=%FF%FE', 'q=%', 'to=%ED%A0%80', 'status=a&status=b', 'from[$gt]=1'];

/** Percent-encoding that also writes lone surrogates (as the bytes WTF-8 would give them). */
const percent = (s: string): string => {
  let out = '';
  for (const ch of s) {
    const cu = ch.charCodeAt(0);
    if (ch.length === 1 && cu >= 0xd800 && cu <= 0xdfff)
      out += [0xe0 | (cu >> 12), 0x80 | ((cu >> 6) & 0x3f), 0x80 | (cu & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    else out += encodeURIComponent(ch);
  }
  return out;
};

const isErrorCode = (code: unknown): boolean =>
  typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code) && code !== 'INTERNAL';

// ---- the app ---------------------------------------------------------------------------------

const LOGIN: Record<Role, string> = {
  secretariat: 'secretary',
  leader: 'leader',
  supervisor: 'supervisor',
  unit_handler: 'handler',
  attendee: 'member1',
};

describe('fuzzing every DTO (fast-check)', () => {
  let t: TestApp;
  let db: Client;
  let meetingId: string;
  const as = {} as Record<Role, Api>;
  /** Field messages (English, as asked) that the zh-CN catalog cannot render: none may be left. */
  const missing = new Set<string>();
  const untranslated = (body: unknown, where: string): void => {
    const fields = (body as { fields?: Record<string, unknown> } | null)?.fields ?? {};
    for (const messages of Object.values(fields))
      for (const m of Array.isArray(messages) ? messages : [])
        if (typeof m === 'string' && !hasFieldText(m)) missing.add(`${where}: ${m}`);
  };

  beforeAll(async () => {
    t = await startTestApp({ LIVE_RATE_LIMIT: '100000', JOBS_ENABLED: 'false' });
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    for (const role of ROLES) as[role] = await Api.login(t.baseUrl, LOGIN[role]);
    meetingId = await demoMeetingId(as.secretariat);
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  afterAll(() => {
    // Every field message the fuzzing provoked has its zh-CN text in the one catalog.
    expect([...missing]).toEqual([]);
  });

  it('HTTP: every operation that reads a body answers hostile bodies with 4xx and a code, never 5xx', async () => {
    const doc = (await (await fetch(`${t.baseUrl}/api/docs-json`)).json()) as OpenApi;
    const routes = discoverHttpRoutes(t.app).filter(
      (r) => r.method !== 'GET' && r.key !== 'POST /api/auth/logout' && r.policy !== null,
    );
    expect(routes.length).toBeGreaterThanOrEqual(60);
    const failures: string[] = [];
    let requests = 0;
    for (const route of routes) {
      const fields = bodyFields(doc, route.method, route.path);
      const api = route.policy === 'public' ? new Api(t.baseUrl) : as[route.policy?.[0] ?? 'secretariat'];
      const path = route.path.replace(/:(\w+)/g, (_m, n: string) =>
        n === 'day' ? '2099-01-01' : randomUUID(),
      );
      const send = async (raw: string): Promise<void> => {
        requests++;
        const res = await api.request<unknown>(route.method, path, raw).catch((err: Error) => ({
          status: 0,
          body: String(err),
        }));
        const code = (res.body as { code?: unknown } | null)?.code;
        untranslated(res.body, route.key);
        if (res.status >= 500 || res.status === 0 || (res.status >= 400 && !isErrorCode(code)))
          failures.push(`${route.key} ${raw.slice(0, 120)} → ${res.status} ${JSON.stringify(res.body)}`);
      };
      for (const raw of RAW_BODIES.slice(0, 3)) await send(raw);
      await fc.assert(
        fc.asyncProperty(bodyOf(fields, 60), async (body) => {
          await send(JSON.stringify(body) ?? 'null');
        }),
        { numRuns: RUNS_PER_ROUTE },
      );
    }
    for (const raw of RAW_BODIES) await send0(raw);
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(routes.length * RUNS_PER_ROUTE);

    async function send0(raw: string): Promise<void> {
      const res = await as.secretariat.request<{ code?: string }>('POST', '/api/units', raw);
      if (res.status >= 500 || !isErrorCode(res.body?.code))
        failures.push(`POST /api/units ${raw.slice(0, 60)} → ${res.status}`);
    }
  });

  it('HTTP: hostile query strings on every GET are 4xx or answered, never 5xx', async () => {
    const routes = discoverHttpRoutes(t.app).filter((r) => r.method === 'GET' && r.policy !== null);
    const failures: string[] = [];
    const keys = [
      'from',
      'to',
      'status',
      'state',
      'unitId',
      'meetingId',
      'q',
      'page',
      'limit',
      'afterSeq',
      '__proto__',
    ];
    for (const route of routes) {
      const api = route.policy === 'public' ? new Api(t.baseUrl) : as[route.policy?.[0] ?? 'secretariat'];
      const path = route.path.replace(/:(\w+)/g, () => randomUUID());
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(fc.oneof(fc.constantFrom(...keys), hostileKey), fc.oneof(text, fc.constant('')), {
            maxKeys: 4,
          }),
          async (query) => {
            const qs = [
              ...Object.entries(query).map(([k, v]) => `${percent(k)}=${percent(String(v))}`),
              ...RAW_QUERY.slice(0, 1 + (Object.keys(query).length % RAW_QUERY.length)),
            ].join('&');
            const res = await fetch(`${t.baseUrl}${path}?${qs}`, {
              headers: api.token ? { authorization: `Bearer ${api.token}` } : {},
            });
            if (res.status >= 500) failures.push(`${route.key}?${qs} → ${res.status} ${await res.text()}`);
            else await res.arrayBuffer();
          },
        ),
        { numRuns: 4 },
      );
    }
    expect(failures).toEqual([]);
  });

  it('sockets: every event answers hostile bodies with a refused ack (never INTERNAL) and keeps the socket', async () => {
    const tables: [string, Record<string, { roles: readonly Role[]; dto: new () => object }>][] = [
      ['/live', t.app.get(LiveGateway).router.routes],
      ['/supervision', t.app.get(SupervisionGateway).router.routes],
    ];
    const failures: string[] = [];
    let emitted = 0;
    for (const [namespace, table] of tables) {
      for (const [event, route] of Object.entries(table)) {
        const role = route.roles.includes('attendee') ? 'attendee' : (route.roles[0] ?? 'secretariat');
        const s: Socket = await connectNamespace(t.baseUrl, namespace, as[role].token);
        try {
          const fields = getMetadataStorage()
            .getTargetValidationMetadatas(route.dto, '', true, false)
            .map((m) => m.propertyName);
          await fc.assert(
            fc.asyncProperty(bodyOf([...new Set(fields)], 40), async (body) => {
              emitted++;
              const ack = await emitAck(s, event, body);
              if (!ack.ok) untranslated(ack.error, `${namespace} ${event}`);
              if (!ack.ok && !isErrorCode(ack.error.code))
                failures.push(
                  `${namespace} ${event} ${JSON.stringify(body).slice(0, 120)} → ${JSON.stringify(ack)}`,
                );
              if (!ack.ok && ack.error.code === 'UNAVAILABLE')
                failures.push(`${namespace} ${event} → UNAVAILABLE`);
            }),
            { numRuns: RUNS_PER_EVENT },
          );
          expect(s.connected).toBe(true);
        } finally {
          s.close();
        }
      }
    }
    expect(failures).toEqual([]);
    expect(emitted).toBeGreaterThanOrEqual(16 * RUNS_PER_EVENT);
  });

  it('accepted text is stored and returned verbatim: unit names over HTTP', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(storableText, async (name) => {
        const res = await as.secretariat.post<{ id: string; name: string; code?: string }>('/api/units', {
          name,
        });
        expect(res.status < 500).toBe(true);
        if (res.status !== 201) {
          expect(isErrorCode(res.body.code)).toBe(true);
          return;
        }
        accepted++;
        expect(res.body.name).toBe(name);
        const again = await as.secretariat.ok<{ name: string }>(
          as.secretariat.get(`/api/units/${res.body.id}`),
        );
        expect(again.name).toBe(name);
        const row = await db.query<{ name: string }>('SELECT name FROM unit WHERE id = $1', [res.body.id]);
        expect(row.rows[0]?.name).toBe(name);
      }),
      { numRuns: 40 },
    );
    expect(accepted).toBeGreaterThan(20);
  });

  it('accepted text is stored and returned verbatim: inputs over the socket', async () => {
    const tablet = await connectNamespace(t.baseUrl, '/live', as.attendee.token);
    try {
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(storableText, async (body) => {
          const ack = await emitAck<{ inputId: string }>(tablet, 'input.submit', {
            meetingId,
            clientKey: randomUUID(),
            kind: 'suggestion',
            text: body,
          });
          if (!ack.ok) {
            expect(isErrorCode(ack.error.code)).toBe(true);
            return;
          }
          accepted++;
          const row = await db.query<{ text: string }>('SELECT text FROM input WHERE id = $1', [
            ack.data.inputId,
          ]);
          expect(row.rows[0]?.text).toBe(body);
          const listed = await as.secretariat.all<{ id?: string; inputId?: string; text: string }>(
            `/api/meetings/${meetingId}/inputs`,
          );
          expect(listed.find((i) => (i.inputId ?? i.id) === ack.data.inputId)?.text).toBe(body);
        }),
        { numRuns: 30 },
      );
      expect(accepted).toBeGreaterThan(15);
    } finally {
      tablet.close();
    }
  });
});

// ---- the OpenAPI document: the field names of each operation's body --------------------------

interface Schema {
  $ref?: string;
  properties?: Record<string, unknown>;
  allOf?: Schema[];
}
interface OpenApi {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
  components?: { schemas?: Record<string, Schema> };
}

function bodyFields(doc: OpenApi, method: string, path: string): string[] {
  const openApiPath = path.replace(/:(\w+)/g, '{$1}');
  const op = doc.paths[openApiPath]?.[method.toLowerCase()];
  const content = op?.requestBody?.content ?? {};
  const fields = new Set<string>();
  const walk = (schema: Schema | undefined, depth: number): void => {
    if (!schema || depth > 5) return;
    if (schema.$ref) walk(doc.components?.schemas?.[schema.$ref.split('/').pop() ?? ''], depth + 1);
    for (const part of schema.allOf ?? []) walk(part, depth + 1);
    for (const key of Object.keys(schema.properties ?? {})) fields.add(key);
  };
  for (const media of Object.values(content)) walk(media.schema, 0);
  return [...fields];
}
