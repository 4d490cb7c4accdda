/*
 * The JSON schemas of the socket protocol's answers and pushes (`/live` and `/supervision`):
 * what each event's ack carries, which error codes it may answer, and the data of every event
 * type. The tables are typed against the event maps, so an event cannot be left out; the api
 * assembles the AsyncAPI 3.0 document from them, with the request schemas and the roles of the
 * gateways' route tables (apps/api/src/docs/asyncapi-document.ts).
 */
import { type ErrorCode, ERROR_CODES } from './errors';
import {
  AGENDA_ITEM_STATES,
  CONSTITUENCIES,
  INPUT_KINDS,
  INVITATION_STATUSES,
  LIGHTS,
  MEETING_STATUSES,
  TASK_STATES,
} from './enums';
import {
  type ClientToServerEvents,
  LIVE_NAMESPACE,
  type LiveEventType,
  MAX_FRAME_BYTES,
  MAX_INPUT_TEXT,
  MODERATION_ACTIONS,
  POLL_KINDS,
  PUSH_INTERVAL_MS,
  TALLY_INTERVAL_MS,
} from './live-events';
import { MAX_CHANNEL_CATCH_UP, type SupervisionClientEvents } from './supervision-events';

export type Schema = Record<string, unknown>;
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str = (description?: string, extra: Schema = {}): Schema => ({
  type: 'string',
  ...(description ? { description } : {}),
  ...extra,
});
const uuid = (description?: string): Schema => str(description, { format: 'uuid' });
const int = (description?: string): Schema => ({
  type: 'integer',
  minimum: 0,
  ...(description ? { description } : {}),
});
const oneOf = (...values: readonly string[]): Schema => ({ type: 'string', enum: [...values] });
const obj = (properties: Record<string, Schema>, required: string[] = Object.keys(properties)): Schema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});
const nullable = (s: Schema): Schema => ({ oneOf: [s, { type: 'null' }] });
const array = (items: Schema, extra: Schema = {}): Schema => ({ type: 'array', items, ...extra });
const seqResult = obj({ seq: int('The seq of the event this action appended.') });
const seqMap = {
  type: 'object',
  description: 'The last seq reflected, per unit stream (`unit:<unitId>`); a stream not listed is at 0.',
  additionalProperties: int(),
};

/** One client event: what it does, what its ack carries, and the codes it may answer. */
export interface ClientEventSchema {
  summary: string;
  ack: Schema;
  errors: ErrorCode[];
}

/** Errors every event may answer besides its own (a body that fails validation, a lost database). */
export const EVERY_EVENT_ERRORS: ErrorCode[] = [
  'VALIDATION',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'INTERNAL',
  'UNAVAILABLE',
];

export const LIVE_EVENT_SCHEMAS: Record<keyof ClientToServerEvents, ClientEventSchema> = {
  'meeting.join': {
    summary:
      'Follow a meeting. Without afterSeq: a snapshot and the seq it reflects. With afterSeq: exactly the events after it (or a snapshot when more than 1000 behind). The socket joins the room before anything is read, so nothing is lost between the answer and the pushes.',
    ack: {
      oneOf: [
        obj({ seq: int(), snapshot: ref('MeetingSnapshot') }),
        obj({ seq: int(), events: array(ref('LiveEvent')) }),
      ],
    },
    errors: ['NOT_FOUND'],
  },
  'meeting.leave': { summary: 'Stop receiving a meeting.', ack: obj({ left: { const: true } }), errors: [] },
  'input.submit': {
    summary:
      'Raise a problem, suggestion or opinion (checked-in attendees, meeting in session). Exactly once: the same clientKey always answers the first result and stores one row; the ack comes only after commit. anonymous: the author is never shown to anyone.',
    ack: obj({ inputId: uuid(), seq: int() }),
    errors: ['NOT_FOUND', 'CONFLICT', 'SESSION_CLOSED', 'RATE_LIMITED'],
  },
  'input.cosign': {
    summary:
      '联名: co-sign an input, once per person (a second try, with any key, answers the first seq). Not your own input.',
    ack: seqResult,
    errors: ['NOT_FOUND', 'CONFLICT', 'SESSION_CLOSED', 'RATE_LIMITED'],
  },
  'speaker.request': {
    summary: 'Ask to speak. Once in the queue, a retry answers the first seq.',
    ack: seqResult,
    errors: ['NOT_FOUND', 'CONFLICT', 'SESSION_CLOSED', 'RATE_LIMITED'],
  },
  'speaker.withdraw': {
    summary: 'Leave the queue (or give up the floor). With nothing to withdraw it answers the current seq.',
    ack: seqResult,
    errors: ['NOT_FOUND', 'SESSION_CLOSED', 'RATE_LIMITED'],
  },
  'poll.vote': {
    summary:
      'Vote: one vote per attendee checked in. The same clientKey answers the same receipt; the same choice again answers the first receipt; another choice is CONFLICT. Secret and satisfaction polls: the receipt is the only link to the ballot, erased from the voter record at close.',
    ack: obj({ receipt: str('Random; shows this ballot among the published ones.') }),
    errors: ['NOT_FOUND', 'CONFLICT', 'SESSION_CLOSED', 'RATE_LIMITED'],
  },
  'agenda.advance': {
    summary: 'Chair: the current agenda item → done, the next pending one → current.',
    ack: obj({ seq: int(), currentAgendaItemId: nullable(uuid()) }),
    errors: ['NOT_FOUND', 'SESSION_CLOSED', 'INVALID_TRANSITION', 'RATE_LIMITED'],
  },
  'speaker.next': {
    summary: 'Chair: the current speaker is done; the first in the queue gets the floor.',
    ack: seqResult,
    errors: ['NOT_FOUND', 'SESSION_CLOSED', 'INVALID_TRANSITION', 'RATE_LIMITED'],
  },
  'poll.open': {
    summary:
      'Chair: open a poll. satisfaction: the choices are fixed (satisfied / basically_satisfied / unsatisfied — 满意 / 基本满意 / 不满意) and targetUnitId is required.',
    ack: obj({ seq: int(), pollId: uuid() }),
    errors: ['NOT_FOUND', 'SESSION_CLOSED', 'RATE_LIMITED'],
  },
  'poll.close': {
    summary:
      'Chair: close a poll; the ack and poll.closed carry the exact final tally, computed from the ballots.',
    ack: obj({
      seq: int(),
      pollId: uuid(),
      counts: { type: 'object', additionalProperties: int() },
      voted: int(),
      entitled: int(),
    }),
    errors: ['NOT_FOUND', 'INVALID_TRANSITION', 'RATE_LIMITED'],
  },
  'input.moderate': {
    summary: 'Hide an input, or merge it into another; it leaves the snapshots; the reason is audited.',
    ack: seqResult,
    errors: ['NOT_FOUND', 'CONFLICT', 'RATE_LIMITED'],
  },
  'meeting.open': {
    summary: 'Secretariat: open (or reopen) the session; appends meeting.opened.',
    ack: obj({ status: oneOf(...MEETING_STATUSES) }),
    errors: ['NOT_FOUND', 'INVALID_TRANSITION', 'CONFLICT', 'RATE_LIMITED'],
  },
  'meeting.adjourn': {
    summary:
      'Secretariat: adjourn; afterwards input, co-sign, speaker requests and votes answer SESSION_CLOSED.',
    ack: obj({ status: oneOf(...MEETING_STATUSES) }),
    errors: ['NOT_FOUND', 'INVALID_TRANSITION', 'CONFLICT', 'RATE_LIMITED'],
  },
};

export const SUPERVISION_EVENT_SCHEMAS: Record<keyof SupervisionClientEvents, ClientEventSchema> = {
  'channel.join': {
    summary: `Follow a channel. \`unit:<unitId>\`: {seq, snapshot} or {seq, events} after afterSeq (a unit handler: only their own unit). \`supervision\`: {seqs, snapshot} or {seqs, events} after afterSeqs, every event naming its stream; a snapshot when more than ${MAX_CHANNEL_CATCH_UP} events behind in all.`,
    ack: {
      oneOf: [
        obj({ seq: int(), snapshot: ref('ChannelSnapshot') }),
        obj({ seq: int(), events: array(ref('TaskChangedEnvelope')) }),
        obj({ seqs: seqMap, snapshot: ref('ChannelSnapshot') }),
        obj({ seqs: seqMap, events: array(ref('StreamedTaskChangedEnvelope')) }),
      ],
    },
    errors: ['NOT_FOUND'],
  },
  'channel.leave': { summary: 'Stop receiving a channel.', ack: obj({ left: { const: true } }), errors: [] },
};

const tally = ref('PollTally');
type MeetingEventType = Exclude<LiveEventType, 'task.changed' | 'notice.received'>;
const statusData = obj({ meetingId: uuid(), status: oneOf(...MEETING_STATUSES) });

/** The data of every event pushed on `/live` (inside `meeting.events`). */
export const LIVE_EVENT_DATA: Record<MeetingEventType, { summary: string; data: Schema }> = {
  'meeting.opened': { summary: 'The session is open.', data: statusData },
  'meeting.adjourned': { summary: 'The session is adjourned.', data: statusData },
  'agenda.advanced': {
    summary: 'The current agenda item changed.',
    data: obj({
      meetingId: uuid(),
      currentAgendaItemId: nullable(uuid()),
      items: array(obj({ id: uuid(), state: oneOf(...AGENDA_ITEM_STATES) })),
    }),
  },
  'input.submitted': {
    summary: 'A new input (author null when anonymous); it is visible and has no co-signers yet.',
    data: obj({
      inputId: uuid(),
      agendaItemId: nullable(uuid()),
      kind: oneOf(...INPUT_KINDS),
      text: str(),
      anonymous: { type: 'boolean' },
      author: nullable(ref('InputAuthor')),
    }),
  },
  'input.cosigned': {
    summary: 'Someone co-signed; the new count.',
    data: obj({ inputId: uuid(), cosignCount: int() }),
  },
  'input.moderated': {
    summary: 'An input was hidden or merged; drop it from the list.',
    data: obj({ inputId: uuid(), action: oneOf(...MODERATION_ACTIONS), intoInputId: nullable(uuid()) }),
  },
  'speakers.changed': {
    summary: 'The whole speakers queue and the current speaker.',
    data: ref('SpeakersState'),
  },
  'poll.opened': { summary: 'A poll opened.', data: ref('PollView') },
  'poll.tally': {
    summary: `Running tally, at most one per poll per ${TALLY_INTERVAL_MS} ms per node.`,
    data: tally,
  },
  'poll.closed': { summary: 'The poll closed; the exact final tally.', data: tally },
  'attendance.changed': {
    summary: 'Someone checked in.',
    data: obj({ participantId: uuid(), name: str(), status: oneOf(...INVITATION_STATUSES), present: int() }),
  },
  'task.created': {
    summary: 'The secretariat turned inputs into a task item.',
    data: obj({
      taskId: uuid(),
      problem: str(),
      leadUnitId: nullable(uuid()),
      sourceInputIds: array(uuid()),
    }),
  },
};

/** The one event type of `/supervision` (inside `channel.events`); never pushed on `/live`. */
export const SUPERVISION_EVENT_DATA: Record<'task.changed', { summary: string; data: Schema }> = {
  'task.changed': {
    summary:
      'A task item changed. `version` counts the changes of the item: apply a change once, when its version is above the one you hold (one change arrives on every unit stream it concerns).',
    data: obj({
      taskId: uuid(),
      action: str(
        'A workflow action (`assign`, `sign_reply`, …) or `progress`, `opinion`, `extension_requested`, `deadline_set`, `reminder`, `overdue`, `reinspection_due`, `reinspected`, `created`.',
      ),
      state: oneOf(...TASK_STATES),
      leadUnitId: uuid(),
      cooperatingUnitIds: array(uuid()),
      deadline: str(undefined, { format: 'date' }),
      reopenCount: int(),
      version: int(),
    }),
  },
};

const envelope = (
  type: string,
  data: Schema,
  description: string,
  extra: Record<string, Schema> = {},
): Schema => ({
  title: type,
  description,
  ...obj({ seq: int(), type: { const: type }, at: str(undefined, { format: 'date-time' }), data, ...extra }),
});

/** Schemas shared by both namespaces' messages. */
export function socketSchemas(): Record<string, Schema> {
  const speaker = obj({ participantId: uuid(), name: str(), agendaItemId: nullable(uuid()) });
  const pollTally = obj({
    pollId: uuid(),
    counts: {
      type: 'object',
      additionalProperties: int(),
      description: 'votes per choice, every choice present',
    },
    voted: int(),
    entitled: int('Attendees checked in now.'),
  });
  const changed = SUPERVISION_EVENT_DATA['task.changed'];
  return {
    ErrorBody: obj(
      {
        code: oneOf(...ERROR_CODES),
        message: str(
          'For people, localized (the handshake’s Accept-Language: zh-CN or en), one language only.',
          {
            example: '会议不在进行中',
          },
        ),
        detail: str('For developers and logs: the specifics, in English.', {
          example: 'meeting is adjourned',
        }),
        fields: { type: 'object', additionalProperties: array(str()) },
        allowed: array(str()),
        correlationId: uuid(),
      },
      ['code', 'message'],
    ),
    LiveEvent: {
      oneOf: Object.entries(LIVE_EVENT_DATA).map(([type, e]) => envelope(type, e.data, e.summary)),
    },
    TaskChangedEnvelope: envelope('task.changed', changed.data, changed.summary),
    StreamedTaskChangedEnvelope: envelope('task.changed', changed.data, changed.summary, {
      stream: str('The unit stream (`unit:<unitId>`) the event belongs to.'),
    }),
    InputAuthor: obj({ participantId: uuid(), name: str(), constituency: oneOf(...CONSTITUENCIES) }),
    InputView: obj({
      inputId: uuid(),
      meetingId: uuid(),
      agendaItemId: nullable(uuid()),
      kind: oneOf(...INPUT_KINDS),
      text: str(),
      anonymous: { type: 'boolean' },
      author: nullable(ref('InputAuthor')),
      cosignCount: int(),
      hidden: { type: 'boolean' },
      submittedAt: str(undefined, { format: 'date-time' }),
      seq: int(),
    }),
    Speaker: speaker,
    SpeakersState: obj({ queue: array(ref('Speaker')), current: nullable(ref('Speaker')) }),
    PollTally: pollTally,
    PollView: obj({
      ...(pollTally.properties as Record<string, Schema>),
      meetingId: uuid(),
      kind: oneOf(...POLL_KINDS),
      question: str(),
      choices: array(str()),
      targetUnitId: nullable(uuid()),
      state: oneOf('open', 'closed'),
    }),
    MeetingSnapshot: obj({
      meetingId: uuid(),
      title: str(),
      status: oneOf(...MEETING_STATUSES),
      currentAgendaItemId: nullable(uuid()),
      agenda: array(
        obj({ id: uuid(), title: str(), category: str(), order: int(), state: oneOf(...AGENDA_ITEM_STATES) }),
      ),
      inputs: array(ref('InputView')),
      attendance: obj({ present: int(), invited: int() }),
      speakers: ref('SpeakersState'),
      openPolls: array(ref('PollView')),
    }),
    ChannelItem: obj({
      id: uuid(),
      problem: str(),
      state: oneOf(...TASK_STATES),
      leadUnitId: uuid(),
      deadline: str(undefined, { format: 'date' }),
      light: nullable(oneOf(...LIGHTS)),
      reopenCount: int(),
      version: int('Events with a version up to this one are already reflected.'),
    }),
    ChannelSnapshot: obj({ channel: str(), items: array(ref('ChannelItem')) }),
  };
}

/** The payload of `meeting.events` and of `channel.events`. */
export const MEETING_EVENTS_BATCH: Schema = obj({
  meetingId: uuid(),
  events: array(ref('LiveEvent'), { minItems: 1 }),
});
/** `notice.received`, pushed on `/supervision` in `inbox.events` to the account's own sockets. */
export const NOTICE_EVENT_DATA: Schema = obj({
  id: uuid(),
  topic: str(),
  text: obj({ zh: str(), en: str() }),
  createdAt: str(undefined, { format: 'date-time' }),
});
/** The payload of `inbox.events`. */
export const INBOX_EVENTS_BATCH: Schema = obj({
  events: array(
    envelope(
      'notice.received',
      NOTICE_EVENT_DATA,
      'A notice was delivered to the account’s inbox (GET /api/notifications is the record).',
    ),
    { minItems: 1 },
  ),
});
/** The payload of `figures.updated`: the overview as `GET /api/figures` answers it, whole. */
export const FIGURES_UPDATED: Schema = {
  type: 'object',
  description:
    'The same body as GET /api/figures without filters (see the OpenAPI document); each push replaces the last.',
};
export const CHANNEL_EVENTS_BATCH: Schema = obj({
  channel: str('`unit:<unitId>` or `supervision`'),
  stream: str('the unit stream the events belong to'),
  events: array(ref('TaskChangedEnvelope'), { minItems: 1 }),
});

/** An ack: `{ok: true, data}` or `{ok: false, error}` whose code is one of `errors`. */
export function ackSchema(data: Schema, errors: ErrorCode[]): Schema {
  const codes = [...new Set([...EVERY_EVENT_ERRORS, ...errors])];
  return {
    oneOf: [
      obj({ ok: { const: true }, data }),
      obj({
        ok: { const: false },
        error: {
          allOf: [ref('ErrorBody')],
          properties: { code: oneOf(...codes) },
        },
      }),
    ],
  };
}

export const LIVE_PUSH_SUMMARY = `Every socket that joined the meeting gets its committed events in commit order, seq strictly increasing per meeting with no gaps; coalesced: at most one push per ${PUSH_INTERVAL_MS} ms per meeting per node (the first after a quiet spell leaves at once).`;

export const LIVE_CLIENT_ALGORITHM = `Client algorithm (tablets and consoles):
1. Connect to namespace ${LIVE_NAMESPACE} with auth {token} (transport websocket). A refused handshake fails with connect_error "UNAUTHORIZED" or "FORBIDDEN" (origin not allowed).
2. Keep lastSeq per meeting (0 at first). Listen to meeting.events BEFORE joining; buffer pushed batches until the join ack arrives.
3. Emit meeting.join {meetingId} (first time) or {meetingId, afterSeq: lastSeq} (after a reconnect). The ack gives {seq, snapshot} (replace your state) or {seq, events} (apply them in order). Set lastSeq = seq.
4. Apply buffered and later pushed events: drop every event with seq ≤ lastSeq (already seen); apply seq = lastSeq + 1 and advance lastSeq; if an event has seq > lastSeq + 1 you missed something: rejoin with afterSeq = lastSeq (step 3).
5. On disconnect (flaky Wi-Fi, server restart, token expiry) reconnect — with a fresh token when it expired (the server disconnects an open socket when its token runs out: reason "io server disconnect") — and rejoin with afterSeq = lastSeq. Any node answers from the database.
6. Writes (input.submit, input.cosign, speaker.request, poll.vote) carry a clientKey created once per user action and kept until acked: on a timeout or a disconnect, send the same payload with the same clientKey again; you get the first result, never a duplicate. An ack means committed; no ack means retry.
7. Errors come through the ack as {ok:false, error:{code, message, fields?}}; the socket stays connected. RATE_LIMITED: wait a moment and retry (same clientKey). SESSION_CLOSED: the meeting is adjourned (or the poll closed).
8. Never send a frame over ${MAX_FRAME_BYTES} bytes: socket.io closes such a connection at once (reason "transport close", no ack), and nothing of the frame is stored; reconnect and rejoin. Text is limited to ${MAX_INPUT_TEXT} characters (VALIDATION).`;
