import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { DemoSeedService } from '@liexi/demo';
import type { AppConfig } from '@liexi/platform';
import { AppModule } from './app.module';

/** Where `npm run build` puts the screens (dist/web), seen from the compiled bootstrap. */
export const BUILT_WEB_ROOT = join(__dirname, '..', '..', '..', 'web');

/**
 * Builds the whole api on a migrated database; used by main.ts and by the end-to-end tests.
 * `webRoot`: a folder of built screens to serve at `/` (skipped when it holds no index.html).
 */
export async function createApp(
  config: AppConfig,
  databaseUrl: string,
  opts: { logger?: boolean; webRoot?: string } = {},
): Promise<INestApplication> {
  const webRoot = opts.webRoot && existsSync(join(opts.webRoot, 'index.html')) ? opts.webRoot : undefined;
  const app = await NestFactory.create(AppModule.register({ config, databaseUrl }, webRoot), {
    logger: opts.logger === false ? false : ['error', 'warn', 'log'],
    bodyParser: true,
  });
  app.setGlobalPrefix('api');
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
  if (config.seedDemo) {
    const seeded = await app.get(DemoSeedService).seed();
    if (seeded) new Logger('Bootstrap').log('demo data seeded');
  }
  return app;
}
