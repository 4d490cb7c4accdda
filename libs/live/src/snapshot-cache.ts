import type { MeetingSnapshot } from '@liexi/contracts';

export interface SeqSnapshot {
  seq: number;
  snapshot: MeetingSnapshot;
}

interface Entry {
  at: number;
  value: Promise<SeqSnapshot>;
}

/**
 * One snapshot per meeting for the joiners of a busy moment (a plenary: thousands join within
 * a second). An entry serves while no event newer than its seq has been published on this
 * node and it is younger than `maxAgeMs` (state that changes without an event, such as an
 * edited title, is at most that stale). Concurrent joiners share one read (single flight).
 *
 * Serving a cached snapshot at seq S is exact for the protocol: the joiner is already in the
 * room, every event up to S is in the snapshot, every later one is pushed to it.
 */
export class SnapshotCache {
  private readonly entries = new Map<string, Entry & { seq?: number }>();

  constructor(
    private readonly build: (meetingId: string) => Promise<SeqSnapshot>,
    private readonly published: (meetingId: string) => number,
    private readonly maxAgeMs = 2_000,
    private readonly maxEntries = 1_000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async get(meetingId: string): Promise<SeqSnapshot> {
    // Everything this node published before the joiner entered the room must be in its snapshot.
    const need = this.published(meetingId);
    const entry = this.entries.get(meetingId);
    if (entry && this.now() - entry.at < this.maxAgeMs && (entry.seq === undefined || entry.seq >= need)) {
      const shared = await entry.value.catch(() => null);
      if (shared && shared.seq >= need) return shared;
    }
    return this.fresh(meetingId);
  }

  private fresh(meetingId: string): Promise<SeqSnapshot> {
    const value = this.build(meetingId);
    const created: Entry & { seq?: number } = { at: this.now(), value };
    this.entries.delete(meetingId);
    this.entries.set(meetingId, created);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    value.then(
      (v) => {
        created.seq = v.seq;
      },
      () => {
        if (this.entries.get(meetingId) === created) this.entries.delete(meetingId);
      },
    );
    return value;
  }
}
