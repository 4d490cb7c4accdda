import { randomUUID } from 'node:crypto';
import { PinoLogger } from 'nestjs-pino';
import { storage, Store } from 'nestjs-pino/storage';

export interface SocketEventContext {
  event: string;
  socketId: string;
  /** Absent for an anonymous act: its author is never written anywhere but its row. */
  accountId?: string;
}

/**
 * Socket events get what pino-http gives requests: an id on every line logged while the event
 * is handled (Nest's Logger reads the same async store), and one closing line with the outcome
 * and duration — at `debug` when acked ok (a plenary vote is 3,000 of them), `warn` for a refused
 * event, `error` for an internal one.
 */
export const socketEventLog = {
  run<T>(ctx: SocketEventContext, work: (eventId: string) => Promise<T>): Promise<T> {
    const root = PinoLogger.root as PinoLogger['logger'] | undefined;
    const eventId = randomUUID();
    if (!root) return work(eventId);
    return storage.run(new Store(root.child({ eventId, ...ctx })), () => work(eventId));
  },

  done(startedAt: number, error?: { code: string }): void {
    const logger = storage.getStore()?.logger;
    if (!logger) return;
    const durationMs = Math.round((performance.now() - startedAt) * 10) / 10;
    if (!error) {
      if (logger.isLevelEnabled('debug')) logger.debug({ durationMs }, `acked ok in ${durationMs} ms`);
    } else if (error.code === 'INTERNAL') logger.error({ durationMs, code: error.code }, 'failed');
    else logger.warn({ durationMs, code: error.code }, `refused: ${error.code}`);
  },
};

/** After authentication: later lines of this request name the account (HTTP; sockets bind it per event). */
export function bindAccountToLog(accountId: string): void {
  const store = storage.getStore();
  if (store) store.logger = store.logger.child({ accountId });
}
