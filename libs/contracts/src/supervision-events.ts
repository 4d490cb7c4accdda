import type { Ack } from './errors';
import type { SupervisionLight, TaskState } from './enums';
import type { LiveEvent } from './live-events';

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
}

// Item changes travel on the generic event log, on streams `unit:<unitId>` and `supervision`.
declare module './live-events' {
  interface LiveEventData {
    'task.changed': TaskChangedEvent;
  }
}

/** A channel: `unit:<unitId>` (a unit's items) or `supervision` (all items). */
export type SupervisionChannel = string;

export interface ChannelItem {
  id: string;
  problem: string;
  state: TaskState;
  leadUnitId: string;
  deadline: string;
  light: SupervisionLight | null;
  reopenCount: number;
}

export interface ChannelSnapshot {
  channel: SupervisionChannel;
  items: ChannelItem[];
}

export interface ChannelJoinRequest {
  channel: SupervisionChannel;
  afterSeq?: number;
}
export type ChannelJoinResult =
  | { seq: number; snapshot: ChannelSnapshot; events?: undefined }
  | { seq: number; events: LiveEvent[]; snapshot?: undefined };

/** Events a client may emit on namespace `/supervision`; each takes an ack. */
export interface SupervisionClientEvents {
  'channel.join': (req: ChannelJoinRequest, ack: (res: Ack<ChannelJoinResult>) => void) => void;
  'channel.leave': (req: { channel: string }, ack: (res: Ack<{ left: true }>) => void) => void;
}

/** Events the server pushes on namespace `/supervision`. */
export interface SupervisionServerEvents {
  'channel.events': (batch: { channel: SupervisionChannel; events: LiveEvent[] }) => void;
}

export const SUPERVISION_NAMESPACE = '/supervision';
export const SUPERVISION_STREAM = 'supervision';
export const unitStream = (unitId: string): string => `unit:${unitId}`;
