import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsModule } from 'nestjs-cls';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AuditService } from './audit/audit.service';
import { AccessChanges } from './auth/access-changes';
import { AccessGuard } from './auth/access.guard';
import { AuthThrottleGuard, authThrottlerOptions } from './auth/auth-throttle.guard';
import { TokenService } from './auth/token.service';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { dataSourceOptions } from './database/data-source-options';
import { DatabaseHealthService } from './database/database-health.service';
import { Db } from './database/db.service';
import { ExceptionsFilter } from './errors/exceptions.filter';
import { createValidationPipe } from './errors/validation';
import { EventFanoutListener } from './events/event-fanout.listener';
import { EventLogService } from './events/event-log.service';
import { DrainState } from './lifecycle/drain-state';
import { SocketSessions } from './lifecycle/socket-sessions';
import { createRootLogger, loggerParams } from './logging/log-options';
import { KnownQueryInterceptor } from './http/known-query.interceptor';
import { LoggingNotificationSender, NotificationSender } from './notifications/notification-sender';
import { InboxService } from './notifications/inbox.service';
import { NotificationDispatcher } from './notifications/notification-dispatcher.service';
import { NotificationService } from './notifications/notification.service';
import { useDateFieldContext } from './time/date-fields';

export interface PlatformOptions {
  config: AppConfig;
  /** The migrated database to use (see resolveDatabase). */
  databaseUrl: string;
  /** Where the JSON log lines go (default: stdout, or pretty lines in development). */
  logDestination?: DestinationStream;
}

/** Config, database, auth, errors, audit and the event log: what every context stands on. */
@Global()
@Module({})
export class PlatformModule {
  static register(options: PlatformOptions): DynamicModule {
    // Date-only fields of DTOs are read in APP_TIME_ZONE.
    useDateFieldContext({ timeZone: options.config.timeZone });
    return {
      module: PlatformModule,
      imports: [
        // Structured logs: one root pino logger; a request id on every line of a request.
        LoggerModule.forRoot(loggerParams(createRootLogger(options.config, options.logDestination))),
        TypeOrmModule.forRoot(dataSourceOptions(options.databaseUrl, { limits: options.config.db })),
        // Sign-in, check-in and imports per account and per address (AuthThrottleGuard).
        ThrottlerModule.forRoot(authThrottlerOptions(options.config)),
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
        AccessChanges,
        TokenService,
        DrainState,
        SocketSessions,
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
        // After AccessGuard: an import counts against the account that is signed in.
        { provide: APP_GUARD, useClass: AuthThrottleGuard },
        { provide: APP_FILTER, useClass: ExceptionsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_INTERCEPTOR, useClass: KnownQueryInterceptor },
      ],
      exports: [
        APP_CONFIG,
        AccessChanges,
        TokenService,
        DrainState,
        SocketSessions,
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
