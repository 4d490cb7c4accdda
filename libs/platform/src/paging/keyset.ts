import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { decodeCursor, encodeCursor, type Page, type PageQueryDto, pageSize } from './page';

/** The order of a keyset list: a sort column and a unique tiebreaker (uuid), both ascending or both descending. */
export interface KeysetOrder {
  /** SQL of the sort column, e.g. `t.created_at`. */
  column: string;
  /** Its PostgreSQL type: the cursor holds the value as PostgreSQL prints it and is cast back. */
  type: 'timestamptz' | 'text' | 'date' | 'bigint' | 'integer';
  /** SQL of the tiebreaker, a uuid column, e.g. `t.id`. */
  id: string;
  direction?: 'ASC' | 'DESC';
}

/**
 * `WHERE (column, id) > (cursor)` (or `<` for a descending order) with positional parameters
 * from `$first`: for hand-written SQL. Empty without a cursor.
 */
export function keysetCondition(
  order: KeysetOrder,
  cursor: string | undefined,
  first: number,
): { sql: string; params: unknown[] } {
  const after = decodeCursor(cursor, 2);
  if (!after) return { sql: '', params: [] };
  const op = (order.direction ?? 'ASC') === 'ASC' ? '>' : '<';
  return {
    sql: `(${order.column}, ${order.id}) ${op} (CAST($${first} AS ${order.type}), CAST($${first + 1} AS uuid))`,
    params: [after[0], after[1]],
  };
}

/** `ORDER BY column, id` in the keyset's direction, for hand-written SQL. */
export const keysetOrderBy = (order: KeysetOrder): string => {
  const dir = order.direction ?? 'ASC';
  return `${order.column} ${dir}, ${order.id} ${dir}`;
};

/**
 * One page of a TypeORM query in keyset order: one statement, `limit + 1` rows (the extra one
 * only tells that a next page exists). The cursor keeps the sort value exactly as PostgreSQL
 * prints it (a timestamptz keeps its microseconds, which a JavaScript Date would lose).
 */
export async function keysetPage<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  order: KeysetOrder,
  query: PageQueryDto,
): Promise<Page<T>> {
  const limit = pageSize(query);
  const after = decodeCursor(query.cursor, 2);
  const dir = order.direction ?? 'ASC';
  if (after)
    qb.andWhere(
      `(${order.column}, ${order.id}) ${dir === 'ASC' ? '>' : '<'} (CAST(:keysetValue AS ${order.type}), CAST(:keysetId AS uuid))`,
      { keysetValue: after[0], keysetId: after[1] },
    );
  qb.addSelect(`${order.column}::text`, 'keyset_value')
    .addSelect(`${order.id}::text`, 'keyset_id')
    .orderBy(order.column, dir)
    .addOrderBy(order.id, dir)
    .limit(limit + 1);
  const { entities, raw } = await qb.getRawAndEntities<{ keyset_value: string | null; keyset_id: string }>();
  if (entities.length !== raw.length) throw new Error('keysetPage: one row per entity expected (no joins)');
  const last = raw[limit - 1];
  return {
    items: entities.slice(0, limit),
    nextCursor: raw.length > limit && last ? encodeCursor([last.keyset_value, last.keyset_id]) : null,
  };
}

/** A page with its items mapped (views from entities). */
export const mapPage = <A, B>(page: Page<A>, f: (a: A) => B): Page<B> => ({
  items: page.items.map(f),
  nextCursor: page.nextCursor,
});
