import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

type IsolationLevel = 'REPEATABLE READ' | 'SERIALIZABLE';

/** A running transaction: its manager, and work to do only once it has committed. */
export class Tx {
  private readonly hooks: (() => void)[] = [];
  constructor(readonly manager: EntityManager) {}
  /** Runs after commit (never on rollback): broadcasts, notifications. */
  afterCommit(hook: () => void): void {
    this.hooks.push(hook);
  }
  /** @internal */
  flush(): void {
    for (const hook of this.hooks.splice(0)) hook();
  }
}

/** Change, audit row and event row in one transaction; announcements after commit. */
@Injectable()
export class TransactionService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** READ COMMITTED (PostgreSQL's default) unless asked: then no SET TRANSACTION round trip. */
  async run<T>(work: (tx: Tx) => Promise<T>, isolation?: IsolationLevel): Promise<T> {
    let tx: Tx | undefined;
    const body = async (manager: EntityManager): Promise<T> => {
      tx = new Tx(manager);
      return work(tx);
    };
    const result = isolation
      ? await this.dataSource.transaction(isolation, body)
      : await this.dataSource.transaction(body);
    tx?.flush();
    return result;
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }
}
