import type { Ack } from './errors';
import type { AgendaItemState, InputKind, InvitationStatus, MeetingStatus } from './enums';

/** One entry of a meeting's event log; `seq` is strictly increasing per meeting, with no gaps. */
export interface LiveEvent<T extends LiveEventType = LiveEventType> {
  seq: number;
  type: T;
  at: string;
  data: LiveEventData[T];
}

export interface InputView {
  inputId: string;
  meetingId: string;
  agendaItemId: string | null;
  kind: InputKind;
  text: string;
  anonymous: boolean;
  /** Null when the input is anonymous: the author's identity never leaves the server. */
  author: { participantId: string; name: string; constituency: string } | null;
  cosignCount: number;
  hidden: boolean;
  submittedAt: string;
  seq: number;
}

export interface LiveEventData {
  'meeting.opened': { meetingId: string; status: MeetingStatus };
  'meeting.adjourned': { meetingId: string; status: MeetingStatus };
  'agenda.advanced': {
    meetingId: string;
    currentAgendaItemId: string | null;
    items: { id: string; state: AgendaItemState }[];
  };
  'input.submitted': InputView;
  'input.cosigned': { inputId: string; cosignCount: number };
  'input.moderated': { inputId: string; action: 'hide' | 'merge'; intoInputId: string | null };
  'speakers.changed': { queue: { participantId: string; name: string }[]; current: string | null };
  'poll.opened': { pollId: string };
  'poll.tally': { pollId: string; counts: Record<string, number>; voted: number; entitled: number };
  'poll.closed': { pollId: string };
  'attendance.changed': { participantId: string; name: string; status: InvitationStatus; present: number };
  'task.created': { taskId: string; problem: string; leadUnitId: string | null; sourceInputIds: string[] };
}
export type LiveEventType = keyof LiveEventData;

export interface MeetingSnapshot {
  meetingId: string;
  title: string;
  status: MeetingStatus;
  currentAgendaItemId: string | null;
  agenda: { id: string; title: string; category: string; order: number; state: AgendaItemState }[];
  inputs: InputView[];
  attendance: { present: number; invited: number };
  speakers: { queue: { participantId: string; name: string }[]; current: string | null };
  openPolls: { pollId: string }[];
}

export interface JoinRequest {
  meetingId: string;
  afterSeq?: number;
}
export type JoinResult =
  | { seq: number; snapshot: MeetingSnapshot; events?: undefined }
  | { seq: number; events: LiveEvent[]; snapshot?: undefined };

export interface InputSubmitRequest {
  meetingId: string;
  clientKey: string;
  kind: InputKind;
  text: string;
  agendaItemId?: string;
  anonymous?: boolean;
}
export interface InputSubmitResult {
  inputId: string;
  seq: number;
}

/** Events a client may emit on namespace `/live`; each takes an ack. */
export interface ClientToServerEvents {
  'meeting.join': (req: JoinRequest, ack: (res: Ack<JoinResult>) => void) => void;
  'meeting.leave': (req: { meetingId: string }, ack: (res: Ack<{ left: true }>) => void) => void;
  'input.submit': (req: InputSubmitRequest, ack: (res: Ack<InputSubmitResult>) => void) => void;
}

/** Events the server pushes on namespace `/live`. */
export interface ServerToClientEvents {
  'meeting.events': (batch: { meetingId: string; events: LiveEvent[] }) => void;
}

/** The namespace and limits tablet clients are written against. */
export const LIVE_NAMESPACE = '/live';
export const MAX_INPUT_TEXT = 4000;
