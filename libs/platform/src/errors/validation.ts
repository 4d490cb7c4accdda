import { type ArgumentMetadata, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import { DomainException } from './domain.exception';
import { fieldErrors } from './error-body';
import { assertStorable } from './storable';

const OPTIONS: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  validationError: { target: false, value: false },
  exceptionFactory: (errors) =>
    new DomainException('VALIDATION', 'some fields are not valid', { fields: fieldErrors(errors) }),
};

/**
 * The validation pipe of the HTTP edge. Before the DTO is built, the raw body, query or path
 * value is walked once (without recursion): unstorable text (NUL, lone surrogates) and nesting
 * too deep for the recursive transformers are refused with VALIDATION naming the field.
 */
export class StorableValidationPipe extends ValidationPipe {
  constructor() {
    super(OPTIONS);
  }

  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom')
      assertStorable(value, metadata.type === 'body' ? '' : (metadata.data ?? ''));
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

/** The one validation pipe, for HTTP and sockets alike: it throws VALIDATION with field errors. */
export function createValidationPipe(): ValidationPipe {
  return new StorableValidationPipe();
}
