import { DomainException } from '../errors/domain.exception';
import { decodeCursor, encodeCursor, pageOf } from './page';

describe('pages', () => {
  it('round-trips a sort key through an opaque cursor', () => {
    const cursor = encodeCursor(['2026-11-22T05:00:00.000Z', 'b3c1']);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, 2)).toEqual(['2026-11-22T05:00:00.000Z', 'b3c1']);
    expect(decodeCursor(undefined, 2)).toBeNull();
  });

  it('refuses a cursor it did not give out', () => {
    for (const bad of [
      'bm90IGpzb24',
      encodeCursor(['only one']),
      Buffer.from('{"a":1}').toString('base64url'),
    ])
      expect(() => decodeCursor(bad, 2)).toThrow(DomainException);
  });

  it('cuts limit + 1 rows into a page with the cursor of its last item', () => {
    const rows = [1, 2, 3, 4].map((n) => ({ n }));
    const page = pageOf(rows, 3, (r) => [r.n]);
    expect(page.items).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(decodeCursor(page.nextCursor ?? undefined, 1)).toEqual([3]);
    expect(pageOf(rows.slice(0, 3), 3, (r) => [r.n]).nextCursor).toBeNull();
  });
});
