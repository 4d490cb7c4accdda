import { type DynamicModule, Module } from '@nestjs/common';
import { DirectoryModule } from '@liexi/directory';
import { HandlingModule } from '@liexi/handling';
import { LiveModule } from '@liexi/live';
import { MeetingsModule } from '@liexi/meetings';
import { JobsModule, PlatformModule, type PlatformOptions } from '@liexi/platform';

/** Only what the jobs need: no HTTP, no gateways. */
@Module({})
export class WorkerModule {
  static register(options: PlatformOptions): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        PlatformModule.register(options),
        JobsModule,
        DirectoryModule,
        MeetingsModule,
        LiveModule,
        HandlingModule,
      ],
    };
  }
}
