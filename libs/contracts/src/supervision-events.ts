import type { Ack } from './errors';
import type { SupervisionLight, TaskState } from './enums';
import type { LiveEvent } from './live-events';

/*
 * Item changes on namespace `/supervision`.
 *
 * Streams. Every change of a task item is appended, in the writer's transaction, to the event-log
 * stream of each unit it concerns: `unit:<leadUnitId>` and `unit:<cooperatingUnitId>` (appended
 * in sorted stream order, so two transactions never lock them crosswise). There is no stream
 * that every task write appends to: a write on one unit's item never waits for a write on an
 * unrelated unit's item, however long that transaction stays open.
 *
 * Channels.
 * - `unit:<unitId>` follows that one stream. `channel.join {channel, afterSeq?}` answers
 *   `{seq, snapshot}` or `{seq, events}` (the events after `afterSeq`, gap-free); pushes are
 *   `channel.events {channel, stream, events}` with `stream` = `channel`. A client keeps `lastSeq`,
 *   drops events with `seq ≤ lastSeq`, applies `lastSeq + 1`, and rejoins with `afterSeq: lastSeq`
 *   on a gap or after a reconnect — as for meetings.
 * - `supervision` (the secretariat, supervisors, leaders) follows every unit stream at once, with
 *   a cursor per stream. `channel.join {channel: 'supervision', afterSeqs?}` answers
 *   `{seqs, snapshot}` or `{seqs, events}`: `seqs` maps each unit stream that has events to the
 *   last seq the answer reflects (a stream not listed is at 0, e.g. a unit created later), and
 *   every event carries its `stream`. Pushes are `channel.events {channel: 'supervision', stream,
 *   events}`. The client keeps `seqs`; per stream it drops `seq ≤ seqs[stream]`, applies
 *   `seqs[stream] + 1`, and on a gap in any stream (or after a reconnect) rejoins with
 *   `afterSeqs: seqs`. It gets a snapshot instead of events when it is more than
 *   `MAX_CHANNEL_CATCH_UP` events behind in all, when a cursor is ahead of its stream, or when
 *   the log no longer holds the events it missed.
 *
 * Duplicates and order across streams. One change of an item with cooperating units arrives on
 * several unit streams, each copy with the same `version`: the item's change counter, raised by
 * one with every change (and carried by snapshot items). A client that follows several streams
 * applies an event only when its `version` is above the version it holds for that item: each
 * change is applied once, and an older change arriving late on another stream (e.g. after the
 * item moved to another lead unit) is ignored.
 */

/** One change to a task item, as units and the supervision office see it. */
export interface TaskChangedEvent {
  taskId: string;
  /** What happened: a workflow action (`assign`, `sign_reply`, …) or `progress`, `opinion`,
   * `extension_requested`, `deadline_set`, `reminder`, `overdue`, `reinspection_due`, `reinspected`, `created`. */
  action: string;
  state: TaskState;
  leadUnitId: string;
  cooperatingUnitIds: string[];
  deadline: string;
  reopenCount: number;
  /** The item's change counter after this change (the same on every stream the change is on). */
  version: number;
}

// Item changes travel on the generic event log, on the streams `unit:<unitId>`.
declare module './live-events' {
  interface LiveEventData {
    'task.changed': TaskChangedEvent;
  }
}

/** A channel: `unit:<unitId>` (a unit's items) or `supervision` (all items, every unit stream). */
export type SupervisionChannel = string;

export interface ChannelItem {
  id: string;
  problem: string;
  state: TaskState;
  leadUnitId: string;
  deadline: string;
  light: SupervisionLight | null;
  reopenCount: number;
  /** The item's change counter: events with a version up to this one are already reflected. */
  version: number;
}

export interface ChannelSnapshot {
  channel: SupervisionChannel;
  items: ChannelItem[];
}

export interface ChannelJoinRequest {
  channel: SupervisionChannel;
  /** `unit:<id>` channels: resume after this seq. */
  afterSeq?: number;
  /** The `supervision` channel: resume after these seqs, per unit stream (missing = 0). */
  afterSeqs?: Record<string, number>;
}

/** An event of the `supervision` channel's answer, with the unit stream it belongs to. */
export type StreamedEvent = LiveEvent & { stream: string };

/** The answer to joining `unit:<id>`. */
export type UnitChannelJoinResult =
  | { seq: number; snapshot: ChannelSnapshot; events?: undefined }
  | { seq: number; events: LiveEvent[]; snapshot?: undefined };

/** The answer to joining `supervision`: a cursor per unit stream that has events. */
export type SupervisionJoinResult =
  | { seqs: Record<string, number>; snapshot: ChannelSnapshot; events?: undefined }
  | { seqs: Record<string, number>; events: StreamedEvent[]; snapshot?: undefined };

export type ChannelJoinResult = UnitChannelJoinResult | SupervisionJoinResult;

/** One pushed batch: events of one stream, in seq order. */
export interface ChannelEventsBatch {
  channel: SupervisionChannel;
  /** The unit stream the events belong to (for a `unit:<id>` channel: the channel itself). */
  stream: string;
  events: LiveEvent[];
}

/** Events a client may emit on namespace `/supervision`; each takes an ack. */
export interface SupervisionClientEvents {
  'channel.join': (req: ChannelJoinRequest, ack: (res: Ack<ChannelJoinResult>) => void) => void;
  'channel.leave': (req: { channel: string }, ack: (res: Ack<{ left: true }>) => void) => void;
}

/** Events the server pushes on namespace `/supervision`. */
export interface SupervisionServerEvents {
  'channel.events': (batch: ChannelEventsBatch) => void;
}

export const SUPERVISION_NAMESPACE = '/supervision';
/** The channel that follows every unit stream (it is not a stream itself). */
export const SUPERVISION_CHANNEL = 'supervision';
/** A client further behind than this (in all) gets a snapshot instead of the events it missed. */
export const MAX_CHANNEL_CATCH_UP = 1000;
const UNIT_STREAM = /^unit:([0-9a-f-]{36})$/i;
export const unitStream = (unitId: string): string => `unit:${unitId}`;
/** The unit of a `unit:<unitId>` stream, or null for any other stream. */
export const unitOfStream = (stream: string): string | null => UNIT_STREAM.exec(stream)?.[1] ?? null;
