import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, type Pool } from 'pg';
import { DataSource } from 'typeorm';

export interface PoolStats {
  /** Connections open (busy + idle). */
  total: number;
  idle: number;
  /** Units of work waiting for a connection. */
  waiting: number;
  max: number;
}

export interface DatabaseHealth {
  database: 'ok' | 'down';
  latencyMs: number;
  pool: PoolStats;
}

/** The readiness probe answers within this time, whatever the database does. */
export const HEALTH_TIMEOUT_MS = 800;

/**
 * Watches the pool: its numbers for the readiness probe, and the rule "one unit of work, one
 * connection": asking the pool for a second connection while a transaction is running on
 * this async path is a bug that deadlocks under load (every connection waiting for another),
 * so it is refused at once instead.
 *
 * The readiness probe runs on a connection of its own, outside the pool: a pool exhausted by
 * load is not a database that is down, and a probe must never queue behind the load.
 */
@Injectable()
export class DatabaseHealthService implements OnModuleInit, OnModuleDestroy {
  private probeClient: Client | null = null;
  private inFlight: Promise<DatabaseHealth> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly host: TransactionHost,
  ) {}

  onModuleInit(): void {
    const pool = this.pool;
    const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
    const host = this.host;
    (pool as unknown as { connect: (...args: unknown[]) => unknown }).connect = (...args: unknown[]) => {
      if (host.isTransactionActive()) {
        throw new Error(
          'a second pool connection was requested inside a running transaction (one unit of work, one connection)',
        );
      }
      return connect(...args);
    };
  }

  onModuleDestroy(): void {
    this.dropProbe();
  }

  get pool(): Pool {
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }

  stats(): PoolStats {
    const p = this.pool;
    return {
      total: p.totalCount,
      idle: p.idleCount,
      waiting: p.waitingCount,
      max: (p.options as { max?: number }).max ?? 0,
    };
  }

  /** `SELECT 1` on the probe's own connection, answered within HEALTH_TIMEOUT_MS; concurrent probes share one. */
  check(): Promise<DatabaseHealth> {
    this.inFlight ??= this.probe().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async probe(): Promise<DatabaseHealth> {
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), HEALTH_TIMEOUT_MS);
    });
    const ok = await Promise.race([this.select1().then(() => true as const), timeout]).catch(() => false);
    clearTimeout(timer);
    if (!ok) this.dropProbe();
    return { database: ok ? 'ok' : 'down', latencyMs: Date.now() - started, pool: this.stats() };
  }

  private async select1(): Promise<void> {
    if (!this.probeClient) {
      const url = (this.dataSource.options as { url?: string }).url;
      const client = new Client({
        connectionString: url,
        application_name: 'liexi-health',
        connectionTimeoutMillis: HEALTH_TIMEOUT_MS,
        query_timeout: HEALTH_TIMEOUT_MS,
        statement_timeout: HEALTH_TIMEOUT_MS,
      });
      client.on('error', () => {
        if (this.probeClient === client) this.dropProbe();
      });
      this.probeClient = client;
      await client.connect();
    }
    await this.probeClient.query('SELECT 1');
  }

  private dropProbe(): void {
    const client = this.probeClient;
    this.probeClient = null;
    if (!client) return;
    const stream = (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection
      ?.stream;
    stream?.destroy();
    // Not awaited: ending a connection to a frozen server could wait as long as the server does.
    void client.end().catch(() => undefined);
  }
}
