import { Controller, Get, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { liveAsyncApiDocument } from '@liexi/contracts';
import { APP_CONFIG, type AppConfig, notFound, Public } from '@liexi/platform';

/** The AsyncAPI document of the live protocol, beside the OpenAPI one. */
@ApiExcludeController()
@Controller('docs')
export class DocsController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Public()
  @Get('asyncapi')
  asyncapi(): Record<string, unknown> {
    if (!this.config.apiDocs) throw notFound('document', 'asyncapi');
    return liveAsyncApiDocument({ rateLimitPer10s: this.config.liveRateLimit });
  }
}
