import 'reflect-metadata';
import { createRootLogger, loadConfigOrExit, resolveDatabase } from '@liexi/platform';
import { DEMO_ATTENDEES, DEMO_PASSWORD, DEMO_STAFF } from '@liexi/demo';
import { BUILT_WEB_ROOT, createApp } from './bootstrap';
import { exitGracefully } from './graceful-shutdown';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const log = createRootLogger(config).child({ context: 'Liexi' });
  // SIGTERM drains the node, then stops an embedded database (exitGracefully), not before.
  const db = await resolveDatabase(config, (line) => log.info(line), { callerHandlesSignals: true });
  const app = await createApp(config, db.url, { webRoot: BUILT_WEB_ROOT });
  // The embedded database gets half the bound to stop; with it unreachable the rest is abandoned.
  exitGracefully(app, log, config.shutdownTimeoutMs, () => db.stop(Math.floor(config.shutdownTimeoutMs / 2)));
  await app.listen(config.port, config.host);
  log.info({ port: config.port, host: config.host }, 'listening');
  const base = `http://localhost:${config.port}`;
  const lines = [
    '',
    `Liexi 列席 is running at ${base}`,
    `  Screens   ${base}/tablet  ${base}/console  ${base}/dashboard`,
    ...(config.apiDocs
      ? [
          `  OpenAPI   ${base}/api/docs   (JSON: ${base}/api/docs-json)`,
          `  AsyncAPI  ${base}/api/docs/asyncapi   (the live protocol)`,
        ]
      : ['  API docs  off (API_DOCS=false)']),
    `  Health    ${base}/api/health`,
    `  Live      socket.io namespace /live at ${base} (auth: {token})`,
    `  Tasks     socket.io namespace /supervision (unit and supervision channels of task changes)`,
  ];
  if (config.seedDemo) {
    lines.push(
      `  Demo logins (password "${DEMO_PASSWORD}"): ${[...DEMO_STAFF, ...DEMO_ATTENDEES].map((a) => a.username).join(', ')}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `Liexi failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
