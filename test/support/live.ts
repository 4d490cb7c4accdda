import type { INestApplication } from '@nestjs/common';
import type { Ack } from '@liexi/contracts';
import { TokenService } from '@liexi/platform';
import type { Socket } from 'socket.io-client';
import { type Plenary, seedPlenary } from '../../bench/seed-plenary';
import { emitAck } from './app';

/** Emits, expects `{ok: true}` and returns its data. */
export async function ackOk<T = any>(socket: Socket, event: string, payload: unknown): Promise<T> {
  const res: Ack<T> = await emitAck<T>(socket, event, payload);
  if (!res.ok) throw new Error(`${event} failed: ${JSON.stringify(res.error)}`);
  return res.data;
}

/** A fresh meeting in session with `n` checked-in attendees (bulk SQL) and their tokens. */
export function plenary(
  app: INestApplication,
  databaseUrl: string,
  n: number,
  opts: { title?: string; agendaItems?: number } = {},
): Promise<Plenary> {
  return seedPlenary(databaseUrl, app.get(TokenService), n, opts);
}
