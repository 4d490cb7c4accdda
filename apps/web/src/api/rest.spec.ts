import { ApiError, Rest } from './rest';

/*
 * rest.ts over the generated client, against a stubbed fetch: pages walked with `nextCursor`,
 * the session's token and the screen's language sent, error answers and network failures
 * turned into ApiError.
 */

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('Rest (the typed client)', () => {
  const realFetch = globalThis.fetch;
  let seen: Request[] = [];
  let answer: (req: Request) => Response | Promise<Response>;

  beforeAll(() => {
    Object.defineProperty(globalThis, 'location', {
      value: { origin: 'http://liexi.test' },
      configurable: true,
    });
  });
  beforeEach(() => {
    seen = [];
    globalThis.fetch = (input: RequestInfo | URL) => {
      const req = input as Request;
      seen.push(req);
      return Promise.resolve(answer(req));
    };
  });
  afterAll(() => {
    globalThis.fetch = realFetch;
  });

  it('walks every page of a list, sending the token', async () => {
    answer = (req) => {
      const cursor = new URL(req.url).searchParams.get('cursor');
      return cursor === null
        ? json(200, { items: [{ id: 'u1' }, { id: 'u2' }], nextCursor: 'c2' })
        : json(200, { items: [{ id: 'u3' }], nextCursor: null });
    };
    const units = await new Rest('tok').units();
    expect(units.map((u) => u.id)).toEqual(['u1', 'u2', 'u3']);
    expect(seen.map((r) => new URL(r.url).search)).toEqual(['', '?cursor=c2']);
    expect(seen.every((r) => r.url.startsWith('http://liexi.test/api/units'))).toBe(true);
    expect(seen[0].headers.get('authorization')).toBe('Bearer tok');
    expect(seen[0].headers.get('accept-language')).toMatch(/^zh-CN/);
  });

  it('puts path and query parameters where the document says', async () => {
    answer = () => json(200, { items: [], nextCursor: null });
    await new Rest('tok').figureItems('assigned', 'closed', { taskClass: 'A' });
    const url = new URL(seen[0].url);
    expect(url.pathname).toBe('/api/figures/assigned/items');
    expect(Object.fromEntries(url.searchParams)).toEqual({ taskClass: 'A', part: 'closed' });
  });

  it('turns an error answer into an ApiError with its code, and a failed network into NETWORK', async () => {
    answer = () => json(409, { code: 'INVALID_TRANSITION', message: '不可执行' });
    const err = await new Rest('tok').taskStep('t1', 'close').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 409, code: 'INVALID_TRANSITION', message: '不可执行' });
    expect(seen[0].method).toBe('POST');
    expect(new URL(seen[0].url).pathname).toBe('/api/tasks/t1/close');

    answer = () => {
      throw new TypeError('Failed to fetch');
    };
    const down = await new Rest().meetings().catch((e: unknown) => e);
    expect(down).toMatchObject({ status: 0, code: 'NETWORK' });
    expect(seen.at(-1)?.headers.get('authorization')).toBeNull();
  });
});
