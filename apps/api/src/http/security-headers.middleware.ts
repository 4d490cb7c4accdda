import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

/** Where the OpenAPI page lives (it needs scripts, styles and images of its own origin). */
const DOCS = /^\/api\/docs(?:[/.?-]|$)/;

/** Every JSON answer: nothing may be loaded or framed from it. */
const api = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
    },
  },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  crossOriginResourcePolicy: { policy: 'same-origin' },
});

/** The docs page (Swagger UI): its own scripts and styles (it sets inline styles), data: images. */
const docs = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
});

/**
 * Security headers on every HTTP answer (helmet: CSP, frame-ancestors, nosniff, Referrer-Policy,
 * no X-Powered-By, …) and `Cache-Control: no-store` on every api answer — tokens and personal
 * data must not be kept by a browser or a proxy (the docs' static files may be cached).
 */
export function applySecurityHeaders(app: INestApplication): void {
  const express = app.getHttpAdapter().getInstance() as { disable(setting: string): void };
  express.disable('x-powered-by');
  app.use((req: Request, res: Response, next: NextFunction) => {
    const isDocs = DOCS.test(req.path);
    if (!isDocs || req.path.endsWith('-json') || req.path.endsWith('/asyncapi'))
      res.setHeader('Cache-Control', 'no-store');
    (isDocs ? docs : api)(req, res, next);
  });
}
