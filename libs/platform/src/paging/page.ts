import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { DomainException } from '../errors/domain.exception';

/** The largest page any list answers, and the default size. */
export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

/**
 * One pagination convention for every list: `?limit=&cursor=`, keyset (the cursor is opaque:
 * the sort key of the last item of the previous page), answered as `{ items, nextCursor }`;
 * `nextCursor` is null on the last page. Extend this class with a list's filters.
 */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque: the `nextCursor` of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be a cursor this api gave out' })
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` for the next page; null when this page is the last. */
  nextCursor: string | null;
}

/** A cursor holds the sort key of the last item given out (e.g. `[createdAt, id]`). */
export function encodeCursor(key: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The sort key in a cursor, checked against the shape the list expects; VALIDATION otherwise. */
export function decodeCursor(cursor: string | undefined, arity: number): (string | number | null)[] | null {
  if (cursor === undefined) return null;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = null;
  }
  const valid =
    Array.isArray(key) &&
    key.length === arity &&
    key.every((v) => v === null || typeof v === 'string' || typeof v === 'number');
  if (!valid)
    throw new DomainException('VALIDATION', 'cursor is not one this list gave out', {
      fields: { cursor: ['unknown cursor'] },
    });
  return key as (string | number | null)[];
}

/**
 * A page from `limit + 1` rows read in order: the extra row only tells that there is a next
 * page, whose cursor is the key of the last row kept.
 */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => (string | number | null)[]): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}

/** The page size asked for, or the default. */
export const pageSize = (q: PageQueryDto): number => q.limit ?? DEFAULT_PAGE_SIZE;
