import { type INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import { DemoSeedService } from '@liexi/demo';
import type { AppConfig } from '@liexi/platform';
import { AppModule } from './app.module';
import { buildOpenApiDocument } from './docs/openapi-document';

/** Builds the whole api on a migrated database; used by main.ts and by the end-to-end tests. */
export async function createApp(
  config: AppConfig,
  databaseUrl: string,
  opts: { logger?: boolean } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.register({ config, databaseUrl }), {
    logger: opts.logger === false ? false : ['error', 'warn', 'log'],
    bodyParser: true,
  });
  app.setGlobalPrefix('api');
  const doc = buildOpenApiDocument(app);
  SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/docs-json' });
  if (config.seedDemo) {
    const seeded = await app.get(DemoSeedService).seed();
    if (seeded) new Logger('Bootstrap').log('demo data seeded');
  }
  return app;
}
