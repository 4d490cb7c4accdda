import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

type IsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

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

  async run<T>(work: (tx: Tx) => Promise<T>, isolation: IsolationLevel = 'READ COMMITTED'): Promise<T> {
    let tx: Tx | undefined;
    const result = await this.dataSource.transaction(isolation, async (manager) => {
      tx = new Tx(manager);
      return work(tx);
    });
    tx?.flush();
    return result;
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }
}
