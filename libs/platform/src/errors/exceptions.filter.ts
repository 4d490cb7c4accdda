import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { ErrorCode } from '@liexi/contracts';
import type { Request, Response } from 'express';
import { pickLocale } from '../i18n/messages';
import { DomainException } from './domain.exception';
import { HTTP_STATUS, toErrorBody } from './error-body';

const STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: 'VALIDATION',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'VALIDATION',
  [HttpStatus.UNAUTHORIZED]: 'UNAUTHORIZED',
  [HttpStatus.FORBIDDEN]: 'FORBIDDEN',
  [HttpStatus.NOT_FOUND]: 'NOT_FOUND',
  [HttpStatus.CONFLICT]: 'CONFLICT',
  [HttpStatus.TOO_MANY_REQUESTS]: 'RATE_LIMITED',
};

/**
 * The exception filter of the HTTP edge: domain code → status + `{code, message, fields?}`;
 * unknown errors → masked 500 with a correlation id. The socket edge answers the same body
 * (`toErrorBody`) through the event's ack (see SocketRouter).
 */
@Catch()
export class ExceptionsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    let err = exception;
    let status: number | undefined;
    if (exception instanceof HttpException) {
      // Framework-level errors (unknown route, malformed JSON, body too large) keep their status.
      const code = STATUS_CODES[exception.getStatus()];
      if (code) {
        err = new DomainException(code, exception.message);
        status = exception.getStatus();
      }
    }
    const body = toErrorBody(err, pickLocale(req.headers['accept-language']));
    // A retryable answer says when to retry (a balancer or client backs off instead of hammering).
    if (body.code === 'UNAVAILABLE') res.setHeader('Retry-After', '2');
    // Always JSON, even where the route declared another type for its success (calendar.ics).
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.removeHeader('Content-Disposition');
    res.status(status ?? HTTP_STATUS[body.code]).json(body);
  }
}
