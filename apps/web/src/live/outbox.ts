import type { ErrorBody } from '@liexi/contracts';

/** The part of `localStorage` the outbox uses (a Map stands in for it in tests). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem: (key: string, value: string) => void;
  removeItem: (key: string) => void;
}

/** One write waiting for its ack: sent again, unchanged (same clientKey), until acked. */
export interface OutboxEntry {
  /** The clientKey: also the entry's identity. */
  key: string;
  event: string;
  payload: Record<string, unknown>;
  createdAt: string;
  /** Set when the server refused it for good (e.g. the session closed): kept so nothing typed is lost. */
  failed?: ErrorBody;
}

/**
 * Writes kept in local storage until the server acks them: what an attendee typed survives a
 * network drop and a reload. One outbox per account and meeting.
 */
export class Outbox {
  private entries: OutboxEntry[];

  constructor(
    private readonly store: KeyValueStore,
    private readonly storageKey: string,
  ) {
    this.entries = Outbox.read(store, storageKey);
  }

  private static read(store: KeyValueStore, key: string): OutboxEntry[] {
    try {
      const raw = store.getItem(key);
      const parsed: unknown = raw ? JSON.parse(raw) : [];
      return Array.isArray(parsed) ? (parsed as OutboxEntry[]) : [];
    } catch {
      return [];
    }
  }

  private save(): void {
    if (this.entries.length === 0) this.store.removeItem(this.storageKey);
    else this.store.setItem(this.storageKey, JSON.stringify(this.entries));
  }

  list(): readonly OutboxEntry[] {
    return this.entries;
  }

  /** Entries still to send, oldest first. */
  pending(): OutboxEntry[] {
    return this.entries.filter((e) => !e.failed);
  }

  add(entry: OutboxEntry): void {
    if (this.entries.some((e) => e.key === entry.key)) return;
    this.entries.push(entry);
    this.save();
  }

  remove(key: string): void {
    this.entries = this.entries.filter((e) => e.key !== key);
    this.save();
  }

  fail(key: string, error: ErrorBody): void {
    this.entries = this.entries.map((e) => (e.key === key ? { ...e, failed: error } : e));
    this.save();
  }
}
