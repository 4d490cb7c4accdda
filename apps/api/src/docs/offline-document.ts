import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { loadConfig } from '@liexi/platform';
import { AppModule } from '../app.module';
import { buildOpenApiDocument } from './openapi-document';

/**
 * The OpenAPI document without a database or a listening server: Nest's preview mode scans the
 * controllers and DTOs and instantiates no provider. Equal to what the running api serves at
 * `/api/docs-json` (the client generator and its check use it).
 */
export async function offlineOpenApiDocument(): Promise<OpenAPIObject> {
  const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: 'offline-document-only-0123456789abcdef' });
  const app = await NestFactory.create(
    AppModule.register({ config, databaseUrl: 'postgres://offline.invalid/none' }),
    { preview: true, logger: false, abortOnError: false },
  );
  app.setGlobalPrefix('api');
  const doc = buildOpenApiDocument(app);
  await app.close();
  return doc;
}
