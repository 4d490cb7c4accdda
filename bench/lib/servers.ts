/* Which server process each scenario runs against in a round. By default every (scenario,
 * server kind) gets a fresh process on a fresh database, all started before the round's first
 * scenario (at most 3 booting at once) and stopped right after their scenario — so a backlog or
 * a hang never leaks into the next scenario. With `shareServers` (smoke) one process per kind
 * serves the whole round; one that failed a scenario is replaced. */
import type { Scenario } from '../scenarios/common';
import { startTarget, type Target, type TargetEnv, type TargetName } from './targets';

export class RoundServers {
  private readonly fresh = new Map<string, Target>();
  private readonly shared = new Map<TargetName, Target>();

  constructor(
    private readonly env: TargetEnv,
    private readonly share: boolean,
    private readonly round: number,
    private readonly started: (t: Target) => void,
    private readonly stopped: (t: Target) => void,
  ) {}

  private label(scenario: number, scenarios: Scenario[]): string {
    return this.share ? `r${this.round + 1}-shared` : `r${this.round + 1}-${scenarios[scenario].names[0]}`;
  }

  private async start(name: TargetName, label: string): Promise<Target> {
    const t = await startTarget(this.env, name, label);
    this.started(t);
    return t;
  }

  async prepare(scenarios: Scenario[]): Promise<void> {
    const jobs: { key: string; name: TargetName; label: string }[] = [];
    if (this.share) {
      const names = [...new Set(scenarios.flatMap((s) => s.targets))];
      for (const name of names) jobs.push({ key: name, name, label: this.label(0, scenarios) });
    } else {
      scenarios.forEach((sc, i) =>
        sc.targets.forEach((name) =>
          jobs.push({ key: `${i}|${name}`, name, label: this.label(i, scenarios) }),
        ),
      );
    }
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < jobs.length) {
        const job = jobs[next++];
        const t = await this.start(job.name, job.label);
        if (this.share) this.shared.set(job.name, t);
        else this.fresh.set(job.key, t);
      }
    };
    await Promise.all([lane(), lane(), lane()]);
  }

  async get(scenario: number, name: TargetName, scenarios: Scenario[]): Promise<Target> {
    if (!this.share) return this.fresh.get(`${scenario}|${name}`)!;
    let t = this.shared.get(name);
    if (!t) {
      t = await this.start(name, `${this.label(scenario, scenarios)}-${scenario}`);
      this.shared.set(name, t);
    }
    return t;
  }

  /** After a scenario ran on `t`: a fresh server (or a shared one that failed) is stopped. */
  async release(scenario: number, t: Target, failed: boolean): Promise<void> {
    if (this.share && !failed) return;
    if (this.share) this.shared.delete(t.name);
    else this.fresh.delete(`${scenario}|${t.name}`);
    await this.stop(t);
  }

  async finish(): Promise<void> {
    const all = [...this.fresh.values(), ...this.shared.values()];
    this.fresh.clear();
    this.shared.clear();
    await Promise.all(all.map((t) => this.stop(t)));
  }

  private async stop(t: Target): Promise<void> {
    await t.stop();
    this.stopped(t);
  }
}
