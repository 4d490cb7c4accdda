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
  /** 联名: how many other attendees co-signed it, counted from the records. */
  cosignCount: number;
  hidden: boolean;
  submittedAt: string;
  seq: number;
}

/**
 * What a tablet needs of a new input, pushed with `input.submitted`: the envelope carries the
 * meeting, the event its seq and time; a new input is visible and has no co-signers yet.
 */
export type InputSubmittedData = Pick<
  InputView,
  'inputId' | 'agendaItemId' | 'kind' | 'text' | 'anonymous' | 'author'
>;

export const POLL_KINDS = ['named', 'secret', 'satisfaction'] as const;
export type PollKind = (typeof POLL_KINDS)[number];
/** The fixed choices of a satisfaction vote on a unit (满意 / 基本满意 / 不满意). */
export const SATISFACTION_CHOICES = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;

export interface PollTally {
  pollId: string;
  /** Votes per choice, every choice present (0 when none). */
  counts: Record<string, number>;
  /** Turnout: how many have voted, of the attendees checked in (entitled and present). */
  voted: number;
  entitled: number;
}

export interface PollView extends PollTally {
  meetingId: string;
  kind: PollKind;
  question: string;
  choices: string[];
  targetUnitId: string | null;
  state: 'open' | 'closed';
}

export interface SpeakerView {
  participantId: string;
  name: string;
  agendaItemId: string | null;
}
export interface SpeakersState {
  /** Waiting, first come first served. */
  queue: SpeakerView[];
  /** Who has the floor. */
  current: SpeakerView | null;
}

export const MODERATION_ACTIONS = ['hide', 'merge'] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];

export interface LiveEventData {
  'meeting.opened': { meetingId: string; status: MeetingStatus };
  'meeting.adjourned': { meetingId: string; status: MeetingStatus };
  'agenda.advanced': {
    meetingId: string;
    currentAgendaItemId: string | null;
    items: { id: string; state: AgendaItemState }[];
  };
  'input.submitted': InputSubmittedData;
  'input.cosigned': { inputId: string; cosignCount: number };
  'input.moderated': { inputId: string; action: ModerationAction; intoInputId: string | null };
  'speakers.changed': SpeakersState;
  'poll.opened': PollView;
  'poll.tally': PollTally;
  'poll.closed': PollTally;
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
  /** Visible inputs (hidden and merged ones leave the snapshot). */
  inputs: InputView[];
  attendance: { present: number; invited: number };
  speakers: SpeakersState;
  openPolls: PollView[];
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
export interface CosignRequest {
  inputId: string;
  clientKey: string;
}
export interface SpeakerRequest {
  meetingId: string;
  agendaItemId?: string;
  clientKey: string;
}
export interface ModerateRequest {
  inputId: string;
  action: ModerationAction;
  intoInputId?: string;
  reason: string;
}
export interface PollOpenRequest {
  meetingId: string;
  kind: PollKind;
  question: string;
  /** Ignored for `satisfaction` (its choices are fixed). */
  choices?: string[];
  /** Required for `satisfaction`: the unit being rated. */
  targetUnitId?: string;
}
export interface PollVoteRequest {
  pollId: string;
  choice: string;
  clientKey: string;
}
export interface MeetingRef {
  meetingId: string;
}
/** The seq of the event an action appended (the client may wait until it has seen it). */
export interface SeqResult {
  seq: number;
}

/** Events a client may emit on namespace `/live`; each takes an ack. */
export interface ClientToServerEvents {
  'meeting.join': (req: JoinRequest, ack: (res: Ack<JoinResult>) => void) => void;
  'meeting.leave': (req: MeetingRef, ack: (res: Ack<{ left: true }>) => void) => void;
  'input.submit': (req: InputSubmitRequest, ack: (res: Ack<InputSubmitResult>) => void) => void;
  'input.cosign': (req: CosignRequest, ack: (res: Ack<SeqResult>) => void) => void;
  'speaker.request': (req: SpeakerRequest, ack: (res: Ack<SeqResult>) => void) => void;
  'speaker.withdraw': (req: MeetingRef, ack: (res: Ack<SeqResult>) => void) => void;
  'poll.vote': (req: PollVoteRequest, ack: (res: Ack<{ receipt: string }>) => void) => void;
  // Secretariat / chair console:
  'agenda.advance': (
    req: MeetingRef,
    ack: (res: Ack<SeqResult & { currentAgendaItemId: string | null }>) => void,
  ) => void;
  'speaker.next': (req: MeetingRef, ack: (res: Ack<SeqResult>) => void) => void;
  'poll.open': (req: PollOpenRequest, ack: (res: Ack<SeqResult & { pollId: string }>) => void) => void;
  'poll.close': (req: { pollId: string }, ack: (res: Ack<SeqResult & PollTally>) => void) => void;
  'input.moderate': (req: ModerateRequest, ack: (res: Ack<SeqResult>) => void) => void;
  'meeting.open': (req: MeetingRef, ack: (res: Ack<{ status: MeetingStatus }>) => void) => void;
  'meeting.adjourn': (req: MeetingRef, ack: (res: Ack<{ status: MeetingStatus }>) => void) => void;
}

/** Events the server pushes on namespace `/live`. */
export interface ServerToClientEvents {
  'meeting.events': (batch: { meetingId: string; events: LiveEvent[] }) => void;
}

/** The namespace and limits tablet clients are written against. */
export const LIVE_NAMESPACE = '/live';
export const MAX_INPUT_TEXT = 4000;
/** socket.io `maxHttpBufferSize`: a larger frame closes the connection; nothing of it is stored. */
export const MAX_FRAME_BYTES = 64 * 1024;
/** Tallies of one poll are pushed at most once per this many milliseconds (the final one at close). */
export const TALLY_INTERVAL_MS = 300;
/** A meeting's pushes are coalesced: at most one `meeting.events` per this many milliseconds per meeting. */
export const PUSH_INTERVAL_MS = 20;
