import type { Role } from '@liexi/contracts';
import type { Ack } from '@liexi/contracts';
import {
  type Actor,
  assertStorable,
  DomainException,
  fieldErrors,
  type Locale,
  socketEventLog,
  toErrorBody,
} from '@liexi/platform';
import { validateSync } from 'class-validator';
import type { Socket } from 'socket.io';

type Dto = new () => object;

/** One client event: who may send it, the shape of its body, and what it does (its result is the ack). */
export interface SocketRoute<S extends Socket = Socket> {
  roles: readonly Role[];
  dto: Dto;
  handle: (actor: Actor, body: never, socket: S) => Promise<unknown>;
  /** Counted against the sender's rate limit (default true). */
  limited?: boolean;
}

/** What a route table says of an event besides its handler: roles, body, rate limit (also the AsyncAPI document's source). */
export type SocketRouteSpec = Pick<SocketRoute, 'roles' | 'dto' | 'limited'>;

export interface SocketData {
  actor: Actor;
  /** Token expiry, seconds since the epoch. */
  exp: number;
  /** Token issued at (seconds) and id: to drop the socket when the token is signed out. */
  iat: number;
  jti: string;
  locale: Locale;
}

/**
 * A lean dispatcher for socket events: one listener per socket (`onAny`), the same function
 * for every socket, and a route table — instead of a framework pipeline per socket per
 * handler, which costs tens of KB per connected tablet. Every event is authenticated (the
 * handshake put the actor on the socket; an expired token is refused), role-checked,
 * rate-limited, validated like the HTTP edge (whitelist, no unknown fields), and answered
 * through its ack: `{ok:true,data}` or `{ok:false,error:{code,message,fields?}}`.
 */
export class SocketRouter<S extends Socket = Socket> {
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private draining = false;

  /** The listener every socket shares (`this` is the socket). */
  readonly listener: (this: S, event: string, ...args: unknown[]) => void;

  constructor(
    /** The route table: every event this router answers (read by the authorization matrix). */
    readonly routes: Record<string, SocketRoute<S>>,
    private readonly rateLimit: (actor: Actor) => void = () => undefined,
  ) {
    const dispatch = this.dispatch.bind(this);
    this.listener = function (this: S, event: string, ...args: unknown[]): void {
      const last = args.at(-1);
      const ack = typeof last === 'function' ? (last as (answer: Ack<unknown>) => void) : null;
      const data = this.data as SocketData;
      // Every line logged while the event is handled carries its id (and the account, unless
      // the act is anonymous).
      const anonymous = (args[0] as { anonymous?: unknown } | null)?.anonymous === true;
      void socketEventLog.run(
        {
          event,
          socketId: this.id,
          ...(anonymous || !data.actor ? {} : { accountId: data.actor.accountId }),
        },
        () => dispatch(this, event, args[0], ack),
      );
    };
  }

  attach(socket: S): void {
    socket.onAny(this.listener);
  }

  /** Shutdown: later events are answered UNAVAILABLE (retry elsewhere); resolves once none is in hand. */
  drain(): Promise<void> {
    this.draining = true;
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async dispatch(
    socket: S,
    event: string,
    body: unknown,
    ack: ((answer: Ack<unknown>) => void) | null,
  ): Promise<void> {
    const data = socket.data as SocketData;
    const startedAt = performance.now();
    let answer: Ack<unknown>;
    this.inFlight++;
    try {
      if (this.draining)
        throw new DomainException('UNAVAILABLE', 'this node is shutting down: reconnect and retry');
      const route = Object.prototype.hasOwnProperty.call(this.routes, event) ? this.routes[event] : undefined;
      if (!route) throw new DomainException('NOT_FOUND', `unknown event "${event}"`);
      if (data.exp * 1000 <= Date.now())
        throw new DomainException('UNAUTHORIZED', 'the access token has expired');
      if (!route.roles.includes(data.actor.role))
        throw new DomainException('FORBIDDEN', `role ${data.actor.role} may not do this`);
      if (route.limited !== false) this.rateLimit(data.actor);
      const dto = validated(route.dto, body);
      answer = { ok: true, data: await route.handle(data.actor, dto as never, socket) };
    } catch (err) {
      answer = { ok: false, error: toErrorBody(err, data.locale) };
    }
    if (--this.inFlight === 0 && this.idleWaiters.length > 0)
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    if (ack) ack(answer);
    else if (!answer.ok) socket.emit('error', answer);
    socketEventLog.done(startedAt, answer.ok ? undefined : answer.error);
  }
}

/** The body as an instance of `dto`, or VALIDATION with field errors (as the HTTP edge answers). */
export function validated(dto: Dto, body: unknown): object {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new DomainException('VALIDATION', 'the event body must be an object', {
      fields: { body: ['must be an object'] },
    });
  // As on the HTTP edge: NUL bytes, lone surrogates and deep nesting never reach a handler.
  assertStorable(body);
  // The socket DTOs are flat: the body's own fields on an instance are all class-validator needs
  // (a full class-transformer pass costs about as much as the validation itself). Fields are
  // defined, not assigned, so a "__proto__" key cannot swap the instance's class.
  const instance = Object.create(dto.prototype as object) as Record<string, unknown>;
  for (const [key, value] of Object.entries(body))
    Object.defineProperty(instance, key, { value, enumerable: true, writable: true, configurable: true });
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0)
    throw new DomainException('VALIDATION', 'some fields are not valid', { fields: fieldErrors(errors) });
  return instance;
}
