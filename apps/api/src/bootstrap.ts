import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type INestApplication, Logger } from '@nestjs/common';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { NestFactory } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import { DemoSeedService } from '@liexi/demo';
import { type AppConfig, DrainState } from '@liexi/platform';
import { AppModule } from './app.module';
import { applySecurityHeaders } from './http/security-headers.middleware';
import { PostgresIoAdapter } from './live/postgres-io.adapter';
import { buildOpenApiDocument } from './docs/openapi-document';

/** Where `npm run build` puts the screens (dist/web), seen from the compiled bootstrap. */
export const BUILT_WEB_ROOT = join(__dirname, '..', '..', '..', 'web');

/**
 * Builds the whole api on a migrated database; used by main.ts and by the end-to-end tests.
 * `webRoot`: a folder of built screens to serve at `/` (skipped when it holds no index.html).
 */
export async function createApp(
  config: AppConfig,
  databaseUrl: string,
  opts: { logger?: boolean; logDestination?: DestinationStream; webRoot?: string } = {},
): Promise<INestApplication> {
  const webRoot = opts.webRoot && existsSync(join(opts.webRoot, 'index.html')) ? opts.webRoot : undefined;
  const quiet = opts.logger === false;
  const app = await NestFactory.create(
    AppModule.register(
      {
        config: quiet ? { ...config, log: { ...config.log, level: 'silent' } } : config,
        databaseUrl,
        logDestination: opts.logDestination,
      },
      webRoot,
    ),
    { bufferLogs: true, bodyParser: true },
  );
  // Nest's own lines (and every `new Logger(...)` of the code) go through pino.
  app.useLogger(app.get(PinoNestLogger));
  app.flushLogs();
  // A draining node closes each keep-alive connection after its answer: the next request goes elsewhere.
  const drain = app.get(DrainState);
  app.use((_req: unknown, res: { setHeader(name: string, value: string): void }, next: () => void) => {
    if (drain.draining) res.setHeader('Connection', 'close');
    next();
  });
  // socket.io across nodes through the shared database (postgres adapter), accepting the api's
  // own origin plus LIVE_ORIGINS, for the polling handshake too.
  const socketLog = new Logger('SocketAdapter');
  app.useWebSocketAdapter(
    new PostgresIoAdapter(app, databaseUrl, config.liveOrigins, (err) =>
      socketLog.warn(`socket.io adapter: ${err.message}`),
    ),
  );
  app.setGlobalPrefix('api');
  applySecurityHeaders(app);
  if (config.apiDocs) setUpDocs(app);
  if (config.seedDemo) {
    const seeded = await app.get(DemoSeedService).seed();
    if (seeded) new Logger('Bootstrap').log('demo data seeded');
  }
  return app;
}

/** The OpenAPI document and page (API_DOCS; off in production unless enabled). */
function setUpDocs(app: INestApplication): void {
  const doc = buildOpenApiDocument(app);
  SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/docs-json' });
}
