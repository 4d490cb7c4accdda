import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { ErrorCode } from '@liexi/contracts';
import type { Request, Response } from 'express';
import { pickLocale } from '../i18n/messages';
import { DomainException } from './domain.exception';
import { HTTP_STATUS, toErrorBody } from './error-body';

const STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: 'VALIDATION',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'PAYLOAD_TOO_LARGE',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'VALIDATION',
  [HttpStatus.UNAUTHORIZED]: 'UNAUTHORIZED',
  [HttpStatus.FORBIDDEN]: 'FORBIDDEN',
  [HttpStatus.NOT_FOUND]: 'NOT_FOUND',
  [HttpStatus.CONFLICT]: 'CONFLICT',
  [HttpStatus.TOO_MANY_REQUESTS]: 'RATE_LIMITED',
};

/**
 * An error the body parser raised before any handler ran (http-errors: a 4xx `status`, `expose`):
 * a body over the limit (413), malformed JSON or an unknown charset (400, 415), an aborted upload.
 */
function parserError(err: unknown): { status: number; message: string } | null {
  if (typeof err !== 'object' || err === null || err instanceof HttpException) return null;
  const e = err as {
    status?: unknown;
    statusCode?: unknown;
    expose?: unknown;
    type?: unknown;
    message?: unknown;
  };
  const status = typeof e.status === 'number' ? e.status : e.statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499 || e.expose !== true) return null;
  const message =
    e.type === 'entity.too.large' ? 'the request body is over the limit of 100 KB' : String(e.message);
  return { status, message };
}

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
    const parser = parserError(exception);
    if (parser) {
      err = new DomainException(STATUS_CODES[parser.status] ?? 'VALIDATION', parser.message);
      status = STATUS_CODES[parser.status] ? parser.status : HttpStatus.BAD_REQUEST;
    } else if (exception instanceof HttpException) {
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
