/* Prints figures for the durable job runner on a throw-away embedded PostgreSQL: jobs per second
 * with one and with two runners sharing the table, and how many jobs ran more than once (must be
 * 0). Run: `npm run build && node dist/bench/job-runner.js` (JOBS=2000 to change the count). */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  type AppConfig,
  Db,
  JobRunner,
  JobsModule,
  loadConfig,
  PlatformModule,
  runMigrations,
  startEmbeddedPostgres,
} from '@liexi/platform';

/** One node: the platform (database, unit of work) and the job runner, nothing else. */
async function node(config: AppConfig, databaseUrl: string): Promise<INestApplicationContext> {
  @Module({ imports: [PlatformModule.register({ config, databaseUrl }), JobsModule] })
  class BenchNode {}
  return NestFactory.createApplicationContext(BenchNode, { logger: false });
}

async function main(): Promise<void> {
  const count = Number(process.env.JOBS ?? 2000);
  const dir = mkdtempSync(join(tmpdir(), 'liexi-bench-jobs-'));
  const db = await startEmbeddedPostgres({ dir, database: 'liexi_bench', persistent: false });
  const config = {
    ...loadConfig({ JWT_SECRET: randomBytes(32).toString('hex'), JOBS_ENABLED: 'false' }, dir),
  };
  try {
    await runMigrations(db.url);
    const nodes = [await node(config, db.url), await node(config, db.url)];
    const runners = nodes.map((n) => n.get(JobRunner));
    const ran = new Map<string, number>();
    for (const [i, r] of runners.entries()) {
      const unit = nodes[i]?.get(Db);
      r.register('bench.noop', async (payload) => {
        await unit?.query('SELECT 1');
        const key = String(payload.i);
        ran.set(key, (ran.get(key) ?? 0) + 1);
      });
    }
    const now = new Date();
    for (const [label, active] of [
      ['1 runner', runners.slice(0, 1)],
      ['2 runners', runners],
    ] as const) {
      ran.clear();
      const values = Array.from(
        { length: count },
        (_, i) => `('bench.noop', '${label}:${i}', '{"i":${i}}', now() - interval '1 minute')`,
      );
      await nodes[0]
        ?.get(Db)
        .query(`INSERT INTO job (name, key, payload, run_at) VALUES ${values.join(',')}`);
      const t0 = process.hrtime.bigint();
      await Promise.all(active.map((r) => r.runDue(now, count)));
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const duplicates = [...ran.values()].filter((n) => n > 1).length;
      process.stdout.write(
        `${label}: ${count} jobs in ${ms.toFixed(0)} ms = ${((count / ms) * 1000).toFixed(0)} jobs/s; ran ${ran.size}, duplicates ${duplicates}\n`,
      );
    }
    for (const n of nodes) await n.close();
  } finally {
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
