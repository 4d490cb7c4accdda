import { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import { DrainState, JobRunner } from '@liexi/platform';
import pino from 'pino';
import { exitGracefully } from './graceful-shutdown';
import { LiveGateway } from './live/live.gateway';
import { SupervisionGateway } from './live/supervision.gateway';

/** SIGTERM: drain, close the app, then stop the database; exit 0, also once the bound has passed (with a warning). */
describe('exitGracefully', () => {
  let calls: string[];
  let lines: string[];
  let exits: (number | undefined)[];
  const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
  // Listeners other code put on this worker process: set aside, so the emitted signals reach only ours.
  let timers: NodeJS.Timeout[];
  let others: Map<NodeJS.Signals, NodeJS.SignalsListener[]>;
  const log = () =>
    pino(
      { level: 'info' },
      new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString('utf8'));
          done();
        },
      }),
    );

  /** An app whose parts record what happens; `jobStop` is how long the job in hand takes. */
  function fakeApp(jobStop: Promise<void>): INestApplication {
    const drain = new DrainState();
    const parts = new Map<unknown, unknown>([
      [DrainState, drain],
      [
        LiveGateway,
        {
          drain: () => Promise.resolve().then(() => calls.push(`live drained (draining=${drain.draining})`)),
        },
      ],
      [SupervisionGateway, { drain: () => Promise.resolve().then(() => calls.push('supervision drained')) }],
      [JobRunner, { stop: () => jobStop.then(() => calls.push('job committed')) }],
    ]);
    return {
      get: (token: unknown) => parts.get(token),
      getHttpServer: () => ({
        close: () => calls.push('listener closed'),
        closeIdleConnections: () => calls.push('idle connections closed'),
      }),
      close: () => Promise.resolve().then(() => calls.push('app closed')),
    } as unknown as INestApplication;
  }

  beforeEach(() => {
    calls = [];
    lines = [];
    exits = [];
    others = new Map(SIGNALS.map((s) => [s, process.listeners(s)]));
    for (const s of SIGNALS) process.removeAllListeners(s);
    // The bound's timer outlives a test here (process.exit is a stub): cleared after each test.
    const realSetTimeout = global.setTimeout;
    timers = [];
    jest.spyOn(global, 'setTimeout').mockImplementation((fn: () => void, ms?: number) => {
      const t = realSetTimeout(fn, ms);
      timers.push(t);
      return t;
    });
    jest.spyOn(process, 'exit').mockImplementation(((code?: number) => {
      exits.push(code);
    }) as never);
  });
  afterEach(() => {
    for (const t of timers) clearTimeout(t);
    for (const s of SIGNALS) {
      process.removeAllListeners(s);
      for (const l of others.get(s) ?? []) process.on(s, l);
    }
    jest.restoreAllMocks();
  });

  const until = async (check: () => boolean, ms = 2000): Promise<void> => {
    const end = Date.now() + ms;
    while (!check()) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  it('drains, closes the app, then stops the database, and exits 0', async () => {
    exitGracefully(fakeApp(Promise.resolve()), log(), 2000, () => {
      calls.push('database stopped');
      return Promise.resolve();
    });
    process.emit('SIGTERM', 'SIGTERM');
    await until(() => exits.length > 0);
    expect(exits).toEqual([0]);
    expect(calls[0]).toBe('listener closed');
    expect(calls).toContain('live drained (draining=true)');
    expect(calls.slice(-3)).toEqual(['idle connections closed', 'app closed', 'database stopped']);
    expect(lines.join('')).toContain('stopped cleanly');
  });

  it('exits 0 with a warning once the configured bound has passed, without stopping the database under a job', async () => {
    let stopped = false;
    const t0 = Date.now();
    exitGracefully(fakeApp(new Promise<void>(() => undefined)), log(), 300, () => {
      stopped = true;
      return Promise.resolve();
    });
    process.emit('SIGTERM', 'SIGTERM');
    await until(() => exits.length > 0);
    const waited = Date.now() - t0;
    expect(exits).toEqual([0]);
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(1500);
    expect(stopped).toBe(false);
    expect(calls).not.toContain('app closed');
    expect(lines.join('')).toContain('shutdown still closing after 300 ms');
  });

  it('handles one signal once: a second SIGTERM or SIGINT does not start another shutdown', async () => {
    let stops = 0;
    exitGracefully(fakeApp(Promise.resolve()), log(), 2000, () => {
      stops++;
      return Promise.resolve();
    });
    process.emit('SIGTERM', 'SIGTERM');
    process.emit('SIGINT', 'SIGINT');
    await until(() => exits.length > 0);
    await new Promise((r) => setTimeout(r, 50));
    expect(stops).toBe(1);
    expect(exits).toEqual([0]);
  });
});
