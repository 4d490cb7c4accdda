import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { DrainState, JobRunner } from '@liexi/platform';
import type { Logger } from 'pino';
import { LiveGateway } from './live/live.gateway';
import { SupervisionGateway } from './live/supervision.gateway';

/**
 * Drains a node: readiness turns 503 (the balancer stops sending), the listener closes (no new
 * connection), keep-alive HTTP answers close their connection, the socket edges answer what they
 * hold and close their transports (tablets reconnect to another node), the job in hand commits.
 * In-flight HTTP requests finish in `app.close()`, which waits for their connections.
 */
export async function drainApp(app: INestApplication): Promise<void> {
  app.get(DrainState).start();
  const http = app.getHttpServer() as Server;
  http.close();
  await Promise.all([
    app.get(LiveGateway).drain(),
    app.get(SupervisionGateway).drain(),
    app.get(JobRunner).stop(),
  ]);
  http.closeIdleConnections();
}

/**
 * SIGTERM / SIGINT: drain, close the app and the database, exit 0 — also once
 * SHUTDOWN_TIMEOUT_MS has passed with something still closing (e.g. the database unreachable:
 * what was acked is committed already, so the rest is abandoned with a warning). Exit 1 only
 * when closing itself failed.
 */
export function exitGracefully(
  app: INestApplication,
  log: Logger,
  timeoutMs: number,
  after: () => Promise<void>,
): void {
  let started = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (started) return;
      started = true;
      const t0 = Date.now();
      log.info({ signal }, `${signal}: draining (at most ${timeoutMs} ms)`);
      setTimeout(() => {
        log.warn({ signal }, `shutdown still closing after ${timeoutMs} ms (database unreachable?): exiting`);
        log.flush();
        process.exit(0);
      }, timeoutMs).unref();
      drainApp(app)
        .then(() => app.close())
        .then(after)
        .then(
          () => {
            log.info({ durationMs: Date.now() - t0 }, 'stopped cleanly');
            log.flush();
            process.exit(0);
          },
          (err: unknown) => {
            log.error({ err }, 'shutdown failed');
            log.flush();
            process.exit(1);
          },
        );
    });
  }
}
