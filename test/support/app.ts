import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import type { Ack } from '@liexi/contracts';
import { loadConfig } from '@liexi/platform';
import { io, type Socket } from 'socket.io-client';
import { createApp } from '../../apps/api/src/bootstrap';
import { asyncApiContract, checkHttpResponse, watchSocket } from './contract';
import { createTestDatabase } from './database';

export interface TestApp {
  app: INestApplication;
  baseUrl: string;
  databaseUrl: string;
  close(): Promise<void>;
}

/**
 * The whole api on a fresh clone of the migrated test database, listening on a free port.
 * `route` may send the api's connections another way (e.g. through a freezable proxy).
 */
export async function startTestApp(
  env: Record<string, string> = {},
  route: (url: string) => string | Promise<string> = (url) => url,
): Promise<TestApp> {
  const db = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
    SEED_DEMO: 'true',
    PORT: '0',
    // The lowest cost scrypt accepts here: every file seeds and logs in many accounts.
    PASSWORD_SCRYPT_LOG_N: '14',
    // Test files sign in far more often than people do; the throttling suite sets its own limit.
    AUTH_RATE_LIMIT: '100000',
    ...env,
  });
  const app = await createApp(config, await route(db.url), { logger: false });
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer() as { address(): AddressInfo }).address().port;
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    databaseUrl: db.url,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

export interface HttpResult<T = unknown> {
  status: number;
  body: T;
}

/** A tiny JSON client bound to one token. */
export class Api {
  constructor(
    readonly baseUrl: string,
    readonly token?: string,
  ) {}

  static async login(baseUrl: string, username: string, password = 'demo'): Promise<Api> {
    const res = await new Api(baseUrl).post<{ accessToken: string }>('/api/auth/login', {
      username,
      password,
    });
    if (res.status !== 200)
      throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return new Api(baseUrl, res.body.accessToken);
  }

  get<T = any>(path: string): Promise<HttpResult<T>> {
    return this.request<T>('GET', path);
  }

  post<T = any>(path: string, body?: unknown): Promise<HttpResult<T>> {
    return this.request<T>('POST', path, body ?? {});
  }

  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResult<T>> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    const parsed: unknown = text && type.includes('json') ? JSON.parse(text) : text || null;
    await checkHttpResponse(this.baseUrl, method, path, res.status, type, parsed);
    return { status: res.status, body: parsed as T };
  }

  /** Every item of a paginated list, following `nextCursor` page by page (asserts 200 on each). */
  async all<T = any>(path: string, limit?: number): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const params = new URLSearchParams();
      if (limit !== undefined) params.set('limit', String(limit));
      if (cursor) params.set('cursor', cursor);
      const sep = path.includes('?') ? '&' : '?';
      const query = params.size > 0 ? `${sep}${params.toString()}` : '';
      const page: { items: T[]; nextCursor: string | null } = await this.ok(this.get(`${path}${query}`));
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }

  /** Asserts the status and returns the body. */
  async ok<T = any>(promise: Promise<HttpResult<T>>, status = 200): Promise<T> {
    const res = await promise;
    if (res.status !== status)
      throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  }
}

/** A connected client of a namespace; rejects with the connect_error message when refused. */
export async function connectNamespace(
  baseUrl: string,
  namespace: string,
  token: string | undefined,
): Promise<Socket> {
  const contract = await asyncApiContract(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = io(`${baseUrl}${namespace}`, {
      auth: token === undefined ? {} : { token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    watchSocket(socket, contract);
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** A connected `/live` client. */
export const connectLive = (baseUrl: string, token: string | undefined): Promise<Socket> =>
  connectNamespace(baseUrl, '/live', token);

/** Emits with an ack and waits for it (fails after `ms`). */
export function emitAck<T = any>(
  socket: Socket,
  event: string,
  payload: unknown,
  ms = 10_000,
): Promise<Ack<T>> {
  return socket.timeout(ms).emitWithAck(event, payload) as Promise<Ack<T>>;
}

/** Collects `meeting.events` pushes on a socket. */
export function collectEvents(socket: Socket): { seq: number; type: string; data: any }[] {
  const seen: { seq: number; type: string; data: any }[] = [];
  socket.on('meeting.events', (batch: { events: { seq: number; type: string; data: any }[] }) => {
    seen.push(...batch.events);
  });
  return seen;
}

export async function waitFor(predicate: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
