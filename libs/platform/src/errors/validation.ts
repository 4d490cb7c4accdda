import { ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import { DomainException } from './domain.exception';
import { fieldErrors } from './error-body';

const OPTIONS: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  validationError: { target: false, value: false },
  exceptionFactory: (errors) =>
    new DomainException('VALIDATION', 'some fields are not valid', { fields: fieldErrors(errors) }),
};

/** The one validation pipe, for HTTP and sockets alike: it throws VALIDATION with field errors. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe(OPTIONS);
}
