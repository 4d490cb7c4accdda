import { type DynamicModule, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { DemoModule } from '@liexi/demo';
import { DirectoryModule } from '@liexi/directory';
import { HandlingModule } from '@liexi/handling';
import { InsightsModule } from '@liexi/insights';
import { LiveModule } from '@liexi/live';
import { MeetingsModule } from '@liexi/meetings';
import { JobsModule, PlatformModule, type PlatformOptions } from '@liexi/platform';
import { AttendanceFiguresController } from './http/attendance-figures.controller';
import { AppraisalsController } from './http/appraisals.controller';
import { AuthController } from './http/auth.controller';
import { DirectoryController } from './http/directory.controller';
import { DocsController } from './http/docs.controller';
import { ExportsController } from './http/exports.controller';
import { FiguresController } from './http/figures.controller';
import { HealthController } from './http/health.controller';
import { InvitationPlanningController } from './http/invitation-planning.controller';
import { LedgerController } from './http/ledger.controller';
import { MeetingsController } from './http/meetings.controller';
import { PresenceController } from './http/presence.controller';
import { NotificationsController } from './http/notifications.controller';
import { PublicController } from './http/public.controller';
import { RankingsController } from './http/rankings.controller';
import {
  InputDispositionsController,
  PublicTasksController,
  SupervisionController,
  TaskListsController,
  WorkCalendarController,
} from './http/supervision.controller';
import { TaskRecordsController } from './http/task-records.controller';
import { TasksController } from './http/tasks.controller';
import { LiveGateway } from './live/live.gateway';
import { SupervisionGateway } from './live/supervision.gateway';

/**
 * The screens' own Content-Security-Policy: everything from this origin only (scripts, styles,
 * the socket.io connection), SVG drawn in the page, nothing inline, no frames. Set by the static
 * server on each file and on the index.html of client routes, so it replaces any stricter policy
 * meant for JSON answers.
 */
export const SCREENS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function setScreenHeaders(res: { setHeader(name: string, value: string): unknown }): void {
  res.setHeader('Content-Security-Policy', SCREENS_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
}

@Module({})
export class AppModule {
  /** `webRoot`: the built screens (apps/web), served at `/` beside `/api` and the socket namespaces. */
  static register(options: PlatformOptions, webRoot?: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...(webRoot
          ? [
              ServeStaticModule.forRoot({
                rootPath: webRoot,
                // Client routes (/tablet, /console, /dashboard) answer index.html; /api stays the api's.
                exclude: ['/api', '/api/{*path}'],
                serveStaticOptions: { index: 'index.html', maxAge: 0, setHeaders: setScreenHeaders },
              }),
            ]
          : []),
        PlatformModule.register(options),
        JobsModule,
        DirectoryModule,
        MeetingsModule,
        LiveModule,
        HandlingModule,
        InsightsModule,
        DemoModule,
      ],
      controllers: [
        HealthController,
        AuthController,
        DirectoryController,
        MeetingsController,
        TasksController,
        LedgerController,
        SupervisionController,
        WorkCalendarController,
        TaskListsController,
        InputDispositionsController,
        PublicTasksController,
        InvitationPlanningController,
        AttendanceFiguresController,
        DocsController,
        PresenceController,
        // issue 10: insights
        FiguresController,
        RankingsController,
        ExportsController,
        NotificationsController,
        PublicController,
        TaskRecordsController,
        AppraisalsController,
      ],
      providers: [LiveGateway, SupervisionGateway],
    };
  }
}
