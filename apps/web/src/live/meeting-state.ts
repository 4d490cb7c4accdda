import type {
  InputView,
  LiveEvent,
  LiveEventData,
  LiveEventType,
  MeetingSnapshot,
  PollView,
} from '@liexi/contracts';

/** What a screen shows of a meeting: the join snapshot with every event after it applied. */
export interface MeetingState {
  meetingId: string;
  title: string;
  status: MeetingSnapshot['status'];
  currentAgendaItemId: string | null;
  agenda: MeetingSnapshot['agenda'];
  /** Visible inputs, oldest first (hidden and merged ones leave, as in the snapshot). */
  inputs: InputView[];
  attendance: MeetingSnapshot['attendance'];
  speakers: MeetingSnapshot['speakers'];
  /** Polls seen in this session (open ones from the snapshot, then opened and closed ones). */
  polls: PollView[];
  /** Task items made from this meeting's inputs, as announced. */
  tasks: LiveEventData['task.created'][];
}

export function fromSnapshot(s: MeetingSnapshot): MeetingState {
  return {
    meetingId: s.meetingId,
    title: s.title,
    status: s.status,
    currentAgendaItemId: s.currentAgendaItemId,
    agenda: [...s.agenda].sort((a, b) => a.order - b.order),
    inputs: [...s.inputs].sort((a, b) => a.seq - b.seq),
    attendance: s.attendance,
    speakers: s.speakers,
    polls: s.openPolls,
    tasks: [],
  };
}

/** The event union, discriminated by `type` (LiveEvent<LiveEventType> does not narrow its data). */
export type AnyLiveEvent = { [K in LiveEventType]: LiveEvent<K> }[LiveEventType];

/** Applies one event (pure). The caller has already dropped events with seq ≤ lastSeq. */
export function applyEvent(state: MeetingState, event: LiveEvent): MeetingState {
  const e = event as AnyLiveEvent;
  switch (e.type) {
    case 'meeting.opened':
    case 'meeting.adjourned':
      return { ...state, status: e.data.status };
    case 'agenda.advanced': {
      const states = new Map(e.data.items.map((i) => [i.id, i.state]));
      return {
        ...state,
        currentAgendaItemId: e.data.currentAgendaItemId,
        agenda: state.agenda.map((a) => ({ ...a, state: states.get(a.id) ?? a.state })),
      };
    }
    case 'input.submitted': {
      if (state.inputs.some((i) => i.inputId === e.data.inputId)) return state;
      const input: InputView = {
        ...e.data,
        meetingId: state.meetingId,
        cosignCount: 0,
        hidden: false,
        submittedAt: e.at,
        seq: e.seq,
      };
      return { ...state, inputs: [...state.inputs, input] };
    }
    case 'input.cosigned': {
      const { inputId, cosignCount } = e.data;
      return {
        ...state,
        inputs: state.inputs.map((i) => (i.inputId === inputId ? { ...i, cosignCount } : i)),
      };
    }
    case 'input.moderated': {
      const { inputId } = e.data;
      return { ...state, inputs: state.inputs.filter((i) => i.inputId !== inputId) };
    }
    case 'speakers.changed':
      return { ...state, speakers: e.data };
    case 'poll.opened': {
      const poll = e.data;
      return { ...state, polls: [...state.polls.filter((p) => p.pollId !== poll.pollId), poll] };
    }
    case 'poll.tally':
    case 'poll.closed': {
      const tally = e.data;
      const closed = e.type === 'poll.closed';
      return {
        ...state,
        polls: state.polls.map((p) =>
          p.pollId === tally.pollId ? { ...p, ...tally, state: closed ? 'closed' : p.state } : p,
        ),
      };
    }
    case 'attendance.changed':
      return { ...state, attendance: { ...state.attendance, present: e.data.present } };
    case 'task.created':
      return { ...state, tasks: [...state.tasks, e.data] };
    case 'task.changed':
    case 'notice.received':
      // Item changes travel on unit streams and notices on inbox streams (`/supervision`), never on a meeting's.
      return state;
  }
}

export const applyEvents = (state: MeetingState, events: readonly LiveEvent[]): MeetingState =>
  events.reduce(applyEvent, state);
