import { type INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { DemoSeedService } from '@liexi/demo';
import type { AppConfig } from '@liexi/platform';
import { AppModule } from './app.module';
import { applySecurityHeaders } from './http/security-headers.middleware';
import { OriginCheckedIoAdapter } from './live/origin-io.adapter';

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
  applySecurityHeaders(app);
  // Sockets: the api's own origin plus LIVE_ORIGINS, for the polling handshake too.
  app.useWebSocketAdapter(new OriginCheckedIoAdapter(app, config.liveOrigins));
  if (config.apiDocs) setUpDocs(app);
  if (config.seedDemo) {
    const seeded = await app.get(DemoSeedService).seed();
    if (seeded) new Logger('Bootstrap').log('demo data seeded');
  }
  return app;
}

/** The OpenAPI document and page (API_DOCS; off in production unless enabled). */
function setUpDocs(app: INestApplication): void {
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Liexi 列席 API')
      .setDescription(
        'Sit-in participation for executive meetings and the closed loop of task items. Live protocol: see /api/docs/asyncapi.',
      )
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/docs-json' });
}
