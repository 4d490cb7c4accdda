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

/**
 * A notice delivered to an account's inbox (issue 10). Every account's socket on `/supervision`
 * is in the room `inbox:<accountId>` from the handshake on (no join needed; attendees may
 * connect for it too): it gets `inbox.events {events}` with `notice.received` events, pushed on
 * every node after the delivery commits. The inbox itself (`GET /api/notifications`) is the
 * record; the push only says something arrived (on reconnect, read the inbox).
 */
export interface NoticeReceivedEvent {
  id: string;
  topic: string;
  text: { zh: string; en: string };
  createdAt: string;
}

/**
 * The dashboard's figures (issue 10). Every socket of the secretariat, supervisors and leaders
 * is in the room `figures` from the handshake on: after a change that may move a figure (a task
 * change on any unit stream, an input, attendance, a closed poll) the node recomputes the
 * overview (`GET /api/figures` without filters) at most once per `FIGURES_PUSH_INTERVAL_MS`
 * and pushes it whole as `figures.updated` — a dashboard never polls. Each push replaces the
 * last; fetch `GET /api/figures` once after connecting.
 */
export const FIGURES_ROOM = 'figures';
export const FIGURES_PUSH_INTERVAL_MS = 1000;
export const inboxRoom = (accountId: string): string => `inbox:${accountId}`;

// Item changes travel on the generic event log, on the streams `unit:<unitId>`; inbox notices
// on `inbox:<accountId>`.
declare module './live-events' {
  interface LiveEventData {
    'task.changed': TaskChangedEvent;
    'notice.received': NoticeReceivedEvent;
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
  /** Notices delivered to this socket's account (room `inbox:<accountId>`). */
  'inbox.events': (batch: { events: LiveEvent[] }) => void;
  /** The dashboard's overview figures, whole (room `figures`: overseers). */
  'figures.updated': (figures: unknown) => void;
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
