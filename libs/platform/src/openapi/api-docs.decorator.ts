import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtension, ApiExtraModels, ApiOkResponse, ApiProperty } from '@nestjs/swagger';
import type { ErrorCode } from '@liexi/contracts';
import type { Page } from '../paging/page';

/** Operation extensions the document builder turns into responses and security (see apps/api). */
export const X_ROLES = 'x-roles';
export const X_PUBLIC = 'x-public';
export const X_ERRORS = 'x-error-codes';

/**
 * The error codes a route answers besides the ones every route may answer (VALIDATION,
 * UNAUTHORIZED/FORBIDDEN unless public, NOT_FOUND when the path names a resource, INTERNAL,
 * UNAVAILABLE): e.g. `@ApiErrors('INVALID_TRANSITION', 'CONFLICT')`.
 */
export const ApiErrors = (...codes: ErrorCode[]): MethodDecorator => ApiExtension(X_ERRORS, codes);

const pages = new Map<Type<unknown>, Type<unknown>>();

/** The `{items, nextCursor}` class of a list of `item`, named `<Item>Page` in the document. */
export function PageOf<T>(item: Type<T>): Type<Page<T>> {
  const known = pages.get(item);
  if (known) return known as Type<Page<T>>;
  class ItemPage {
    @ApiProperty({ type: [item], description: 'At most `limit` items, in the list’s order.' })
    items!: T[];

    @ApiProperty({
      type: String,
      nullable: true,
      description: 'Pass as `cursor` for the next page; null on the last page.',
      example: 'WyIyMDI2LTExLTIyIDA5OjAwOjAwKzA4IiwiMGI3YyJd',
    })
    nextCursor!: string | null;
  }
  Object.defineProperty(ItemPage, 'name', { value: `${item.name}Page` });
  pages.set(item, ItemPage);
  return ItemPage;
}

/** 200 with a page of `item`: `{items, nextCursor}`. */
export const ApiPageResponse = (item: Type<unknown>, description?: string): MethodDecorator =>
  applyDecorators(
    ApiExtraModels(item),
    ApiOkResponse({ type: PageOf(item), ...(description ? { description } : {}) }),
  );
