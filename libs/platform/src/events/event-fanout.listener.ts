import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ACCESS_CHANNEL, AccessChanges } from '../auth/access-changes';
import { EVENT_CHANNEL, EventLogService } from './event-log.service';

/**
 * Listens on the event channel with a connection of its own, so that an event committed on any
 * api node reaches the sockets of this node too. If the connection drops it reconnects and then
 * catches every followed stream up from the log, so a stream's last event (say
 * `meeting.adjourned`) committed while it was away still reaches this node's sockets.
 */
@Injectable()
export class EventFanoutListener implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('EventFanout');
  private client: Client | null = null;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventLogService,
    private readonly access: AccessChanges,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }

  private async connect(): Promise<void> {
    const url = (this.dataSource.options as { url?: string }).url;
    const client = new Client({
      connectionString: url,
      application_name: 'liexi-event-fanout',
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
    });
    client.on('notification', (msg) => {
      if (msg.channel === EVENT_CHANNEL && msg.payload) this.events.noticeCommitted(msg.payload);
      // Rights that changed on any node (signed out, deactivated, invitation withdrawn).
      else if (msg.channel === ACCESS_CHANNEL && msg.payload) this.access.noticeCommitted(msg.payload);
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, null));
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENT_CHANNEL}`);
      await client.query(`LISTEN ${ACCESS_CHANNEL}`);
    } catch (err) {
      void client.end().catch(() => undefined);
      throw err;
    }
    const reconnected = this.client === null && this.retry !== null;
    this.client = client;
    if (reconnected)
      // NOTIFYs sent while away are lost: read the revocations again.
      await this.access
        .reload()
        .catch((e: unknown) => this.logger.warn(`access reload failed: ${String(e)}`));
    try {
      const behind = await this.events.catchUp();
      if (behind > 0) this.logger.log(`caught up ${behind} stream(s) after reconnecting`);
    } catch (err) {
      // Followers still see the gap at the next event and rejoin with afterSeq.
      this.logger.warn(`event catch-up failed: ${String(err)}`);
    }
  }

  private lost(client: Client, err: Error | null): void {
    if (this.stopped || this.client !== client) return;
    this.client = null;
    this.logger.warn(`event listener connection lost${err ? `: ${err.message}` : ''}; reconnecting`);
    this.reconnectLater();
  }

  private reconnectLater(): void {
    if (this.stopped) return;
    this.retry = setTimeout(() => {
      this.connect().catch((e: unknown) => {
        this.logger.warn(`event listener reconnect failed: ${String(e)}`);
        this.reconnectLater();
      });
    }, 1000);
  }
}
