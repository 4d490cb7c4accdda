import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditService } from './audit/audit.service';
import { AccessGuard } from './auth/access.guard';
import { TokenService } from './auth/token.service';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { dataSourceOptions } from './database/data-source-options';
import { TransactionService } from './database/transaction.service';
import { ExceptionsFilter } from './errors/exceptions.filter';
import { createValidationPipe } from './errors/validation';
import { EventFanoutListener } from './events/event-fanout.listener';
import { EventLogService } from './events/event-log.service';
import { LoggingNotificationSender, NotificationSender } from './notifications/notification-sender';
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
      imports: [TypeOrmModule.forRoot(dataSourceOptions(options.databaseUrl)), JwtModule.register({})],
      providers: [
        { provide: APP_CONFIG, useValue: options.config },
        TokenService,
        TransactionService,
        AuditService,
        EventLogService,
        EventFanoutListener,
        NotificationService,
        { provide: NotificationSender, useClass: LoggingNotificationSender },
        AccessGuard,
        { provide: APP_GUARD, useExisting: AccessGuard },
        { provide: APP_FILTER, useClass: ExceptionsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
      exports: [
        APP_CONFIG,
        TokenService,
        TransactionService,
        AuditService,
        EventLogService,
        NotificationService,
        NotificationSender,
        AccessGuard,
      ],
    };
  }
}
