/* The orchestrator's side of the load workers: forks them once per run, sends commands and
 * gathers the replies. Every call is bounded by its own timeout. */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Command, Reply, Results, TabletSpec } from '../load/protocol';
import { forkWorker, stopChild } from './procs';

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

class WorkerHandle {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(readonly child: ChildProcess) {
    child.on('message', (m: Reply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(m.error));
    });
    child.on('exit', (code) => {
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.reject(new Error(`load worker exited (${code})`));
      }
      this.pending.clear();
    });
  }

  call<C extends Command>(cmd: C, timeoutMs: number): Promise<Results[C['op']]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`load worker: no answer to "${cmd.op}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.child.send({ id, cmd });
    });
  }
}

export class LoadPool {
  private constructor(private readonly workers: WorkerHandle[]) {}

  static start(count: number): LoadPool {
    const script = join(__dirname, '..', 'load', 'worker.js');
    return new LoadPool(Array.from({ length: count }, () => new WorkerHandle(forkWorker(script))));
  }

  get size(): number {
    return this.workers.length;
  }

  call<C extends Command>(w: number, cmd: C, timeoutMs: number): Promise<Results[C['op']]> {
    return this.workers[w].call(cmd, timeoutMs);
  }

  /** The same command (or one per worker) to every worker, at once. */
  all<C extends Command>(cmd: C | ((w: number) => C), timeoutMs: number): Promise<Results[C['op']][]> {
    return Promise.all(
      this.workers.map((wk, w) => wk.call(typeof cmd === 'function' ? cmd(w) : cmd, timeoutMs)),
    );
  }

  /** Deals the tablets round-robin, so that each meeting is spread over every worker. */
  deal(tablets: TabletSpec[]): TabletSpec[][] {
    const out: TabletSpec[][] = this.workers.map(() => []);
    tablets.forEach((t, i) => out[i % out.length].push(t));
    return out;
  }

  /** Which worker holds a tablet dealt by `deal`. */
  workerOf(index: number): number {
    return index % this.workers.length;
  }

  async closeAll(): Promise<void> {
    await this.all({ op: 'close' }, 60_000).catch(() => undefined);
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => stopChild(w.child, 2000)));
  }
}
