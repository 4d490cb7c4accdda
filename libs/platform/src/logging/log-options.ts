import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { AppConfig } from '../config/app-config';

/**
 * Where secrets and personal contact data could appear in a log object: never written. Paths
 * are pino's (one `*` = any key at that level); free text is masked by `maskText` as well.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  ...['password', 'passwordHash', 'token', 'accessToken', 'jwtSecret', 'contact', 'phone', 'mobile'].flatMap(
    (key) => [key, `*.${key}`, `*.*.${key}`],
  ),
];

const MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/g;
const BEARER = /(Bearer\s+)[\w.-]+/gi;
const TOKEN_PARAM = /([?&](?:token|access_token)=)[^&\s]+/gi;

/** Mainland mobile numbers, bearer tokens and token query parameters in free text. */
export function maskText(text: string): string {
  return text
    .replace(MOBILE, (m) => `${m.slice(0, 3)}****${m.slice(7)}`)
    .replace(BEARER, '$1[redacted]')
    .replace(TOKEN_PARAM, '$1[redacted]');
}

/** A request id from the balancer (`X-Request-Id`, if it looks like one) or a new one. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && /^[\w.:-]{1,80}$/.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/**
 * The process's one root logger: JSON lines (or pretty ones in development), the level from
 * LOG_LEVEL, secrets redacted, mobile numbers and tokens masked in messages.
 */
export function createRootLogger(config: AppConfig, destination?: DestinationStream): Logger {
  const stream =
    destination ??
    (config.log.format === 'pretty'
      ? pretty({ colorize: true, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'hostname' })
      : pino.destination({ dest: 1, sync: false }));
  return pino(
    {
      level: config.log.level,
      base: { pid: process.pid, node: process.env.HOSTNAME ?? undefined },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? maskText(a) : a)) as Parameters<typeof method>,
          );
        },
      },
    },
    stream,
  );
}

type ActorRequest = IncomingMessage & { actor?: { accountId?: string } | null; originalUrl?: string };

/** nestjs-pino's parameters: one line per request (id, method, url, status, account, duration). */
export function loggerParams(root: Logger): Params {
  return {
    pinoHttp: {
      logger: root,
      genReqId: requestId,
      customProps: (req) => {
        const accountId = (req as ActorRequest).actor?.accountId;
        return accountId ? { accountId } : {};
      },
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      customSuccessMessage: (req, res, ms) =>
        `${req.method} ${maskText(url(req))} ${res.statusCode} ${ms} ms`,
      customErrorMessage: (req, res) => `${req.method} ${maskText(url(req))} ${res.statusCode}`,
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: maskText(req.url),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customAttributeKeys: { responseTime: 'durationMs' },
      // The balancer's probes every few seconds would drown everything else.
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/api/health') },
    },
  };
}

function url(req: IncomingMessage): string {
  return (req as ActorRequest).originalUrl ?? req.url ?? '';
}
