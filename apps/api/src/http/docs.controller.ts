import { Controller, Get, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig, notFound, Public } from '@liexi/platform';
import { buildAsyncApiDocument } from '../docs/asyncapi-document';

/** The AsyncAPI 3.0 document of the socket protocol (`/live`, `/supervision`), beside the OpenAPI one. */
@ApiExcludeController()
@Controller('docs')
export class DocsController {
  private readonly document: Record<string, unknown>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.document = buildAsyncApiDocument({ rateLimitPer10s: config.liveRateLimit });
  }

  @Public()
  @Get('asyncapi')
  asyncapi(): Record<string, unknown> {
    if (!this.config.apiDocs) throw notFound('document', 'asyncapi');
    return this.document;
  }
}
