import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsService } from 'nestjs-cls';
import type { EntityManager, ObjectLiteral, QueryRunner } from 'typeorm';
import { isRetryableConflict } from '../errors/database-errors';

export type IsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

const AFTER_COMMIT = Symbol('liexi.afterCommit');
/** A deadlock or serialization failure is retried this many times before it is answered. */
const RETRIES = 2;

/**
 * One unit of work, one connection. The running transaction travels implicitly with the
 * request, socket event or job (AsyncLocalStorage via nestjs-cls), so every read and write
 * inside it uses the transaction's connection and no code passes a transaction by hand.
 * Outside a transaction `manager` is the pool's, one connection per statement.
 */
/**
 * A connection answers one statement at a time: statements of one unit of work issued
 * together (a `Promise.all` of reads) are sent one after another instead of being stacked on
 * the driver (which pg deprecates), and COMMIT waits for the statements before it.
 */
function oneAtATime(runner: QueryRunner | undefined): void {
  if (!runner || SERIAL in runner) return;
  const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
  let last: Promise<unknown> = Promise.resolve();
  Object.assign(runner, {
    [SERIAL]: true,
    query: (...args: unknown[]): Promise<unknown> => {
      const run = last.then(() => query(...args));
      last = run.catch(() => undefined);
      return run;
    },
  });
}
const SERIAL = Symbol('liexi.serialQueries');

@Injectable()
export class Db {
  private readonly logger = new Logger('Db');

  constructor(
    private readonly host: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly cls: ClsService,
  ) {}

  /** The running transaction's manager, or the pool's outside one. */
  get manager(): EntityManager {
    return this.host.tx;
  }

  get inTransaction(): boolean {
    return this.host.isTransactionActive();
  }

  /** Raw SQL through `manager` (so inside a transaction, on its connection). */
  query<T extends ObjectLiteral = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
    return this.host.tx.query(sql, params);
  }

  /**
   * Runs `work` in a transaction: joins the running one, or begins one (READ COMMITTED unless
   * asked) and commits it. Hooks registered with `afterCommit` run once the outermost
   * transaction has committed, never on rollback. A deadlock or serialization failure of the
   * outermost transaction is retried (`work` must then be safe to run again: database work only).
   */
  async transaction<T>(work: () => Promise<T>, isolation?: IsolationLevel): Promise<T> {
    if (this.host.isTransactionActive()) return work();
    for (let attempt = 0; ; attempt++) {
      const hooks: (() => void)[] = [];
      try {
        const body = (): Promise<T> => {
          this.cls.set(AFTER_COMMIT, hooks);
          oneAtATime(this.host.tx.queryRunner);
          return work();
        };
        const result = isolation
          ? await this.host.withTransaction({ isolationLevel: isolation }, body)
          : await this.host.withTransaction(body);
        for (const hook of hooks) this.runHook(hook);
        return result;
      } catch (err) {
        if (attempt < RETRIES && isRetryableConflict(err)) continue;
        throw err;
      }
    }
  }

  /** Work to do once the running transaction commits (right away when there is none). */
  afterCommit(hook: () => void): void {
    const hooks = this.host.isTransactionActive()
      ? this.cls.get<(() => void)[] | undefined>(AFTER_COMMIT)
      : undefined;
    if (hooks) hooks.push(hook);
    else this.runHook(hook);
  }

  /**
   * Runs `work` outside any transaction and any caller's context: for work started by a
   * caller but done for many (a group commit, a coalesced tally), so it never joins the
   * caller's transaction by accident.
   */
  detached<T>(work: () => Promise<T>): Promise<T> {
    return this.cls.run({ ifNested: 'override' }, () => this.host.withoutTransaction(work));
  }

  private runHook(hook: () => void): void {
    try {
      hook();
    } catch (err) {
      // Committed is committed: a failed announcement is logged; clients resync by seq.
      this.logger.error(`after-commit hook failed: ${err instanceof Error ? err.stack : String(err)}`);
    }
  }
}
