import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JobRunner, loadConfigOrExit } from '@liexi/platform';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';

/**
 * Runs only the durable jobs (reminders, overdue flags, re-inspections) against DATABASE_URL,
 * beside api nodes started with JOBS_ENABLED=false (or not: jobs are claimed with SKIP LOCKED,
 * so any number of runners share the work without running a job twice).
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  if (!config.databaseUrl) {
    process.stderr.write('Invalid configuration: DATABASE_URL is required for the worker\n');
    process.exit(78);
  }
  const app = await NestFactory.createApplicationContext(
    WorkerModule.register({ config: { ...config, jobsEnabled: false }, databaseUrl: config.databaseUrl }),
    { bufferLogs: true },
  );
  app.useLogger(app.get(PinoNestLogger));
  app.flushLogs();
  await app.get(JobRunner).start();
  new Logger('Worker').log('job worker running');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      app.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`worker failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
