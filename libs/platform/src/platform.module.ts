import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsModule } from 'nestjs-cls';
import { AuditService } from './audit/audit.service';
import { AccessGuard } from './auth/access.guard';
import { TokenService } from './auth/token.service';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { dataSourceOptions } from './database/data-source-options';
import { DatabaseHealthService } from './database/database-health.service';
import { Db } from './database/db.service';
import { ExceptionsFilter } from './errors/exceptions.filter';
import { createValidationPipe } from './errors/validation';
import { EventFanoutListener } from './events/event-fanout.listener';
import { EventLogService } from './events/event-log.service';
import { LoggingNotificationSender, NotificationSender } from './notifications/notification-sender';
import { InboxService } from './notifications/inbox.service';
import { NotificationDispatcher } from './notifications/notification-dispatcher.service';
import { NotificationService } from './notifications/notification.service';

export interface PlatformOptions {
  config: AppConfig;
  /** The migrated database to use (see resolveDatabase). */
  databaseUrl: string;
}

/** Config, database, auth, errors, audit and the event log: what every context stands on. */
@Global()
@Module({})
export class PlatformModule {
  static register(options: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        TypeOrmModule.forRoot(dataSourceOptions(options.databaseUrl, { limits: options.config.db })),
        // The unit of work's transaction travels with the async path (AsyncLocalStorage).
        ClsModule.forRoot({
          global: true,
          plugins: [
            new ClsPluginTransactional({
              imports: [TypeOrmModule],
              adapter: new TransactionalAdapterTypeOrm({ dataSourceToken: getDataSourceToken() }),
            }),
          ],
        }),
      ],
      providers: [
        { provide: APP_CONFIG, useValue: options.config },
        TokenService,
        Db,
        DatabaseHealthService,
        AuditService,
        EventLogService,
        EventFanoutListener,
        NotificationService,
        NotificationDispatcher,
        InboxService,
        { provide: NotificationSender, useClass: LoggingNotificationSender },
        AccessGuard,
        { provide: APP_GUARD, useExisting: AccessGuard },
        { provide: APP_FILTER, useClass: ExceptionsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
      exports: [
        APP_CONFIG,
        TokenService,
        Db,
        DatabaseHealthService,
        AuditService,
        EventLogService,
        NotificationService,
        NotificationDispatcher,
        InboxService,
        NotificationSender,
        AccessGuard,
      ],
    };
  }
}
