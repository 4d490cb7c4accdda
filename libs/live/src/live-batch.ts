import { type AppConfig, type Db, fromDatabaseError } from '@liexi/platform';
import type { GroupCommitOptions, Outcome } from './group-commit';

export const ok = <R>(value: R): Outcome<R> => ({ ok: true, value });
export const fail = <R>(error: unknown): Outcome<R> => ({ ok: false, error });

/** The group commit settings of the live paths (LIVE_BATCH_*; at most half the pool at once). */
export function liveBatch<I, R>(
  config: AppConfig,
  db: Db,
  lane: (item: I) => string,
  write: (items: I[]) => Promise<Outcome<R>[]>,
): GroupCommitOptions<I, R> {
  return {
    windowMs: config.liveBatch.windowMs,
    maxSize: config.liveBatch.maxSize,
    maxInFlight: Math.max(1, Math.floor(config.db.poolSize / 2)),
    lane,
    // A batch is nobody's unit of work: its own transaction, whoever's event started it.
    write: (items) => db.detached(() => db.transaction(() => write(items))),
    // A database out of reach fails every item again: such a batch is answered at once.
    retryAlone: (err) => fromDatabaseError(err)?.code !== 'UNAVAILABLE',
  };
}

export function groupBy<T>(items: T[], by: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = by(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
