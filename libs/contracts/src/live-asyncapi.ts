/* The AsyncAPI 2.6 document of the `/live` protocol, served at GET /api/docs/asyncapi.
 * The two tables below are typed against the event maps, so a new event cannot be left out. */
import { ERROR_CODES } from './errors';
import { INPUT_KINDS } from './enums';
import {
  type ClientToServerEvents,
  LIVE_NAMESPACE,
  type LiveEventType,
  MAX_FRAME_BYTES,
  MAX_INPUT_TEXT,
  MODERATION_ACTIONS,
  POLL_KINDS,
  SATISFACTION_CHOICES,
  PUSH_INTERVAL_MS,
  TALLY_INTERVAL_MS,
} from './live-events';

type Schema = Record<string, unknown>;
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str = (description?: string, extra: Schema = {}): Schema => ({
  type: 'string',
  ...(description ? { description } : {}),
  ...extra,
});
const uuid = (description?: string): Schema => str(description, { format: 'uuid' });
const int = (description?: string): Schema => ({ type: 'integer', ...(description ? { description } : {}) });
const obj = (properties: Record<string, Schema>, required: string[] = Object.keys(properties)): Schema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});
const nullable = (s: Schema): Schema => ({ oneOf: [s, { type: 'null' }] });
const clientKey = str(
  'Idempotency key chosen by the client (a UUID is a good choice); 8–100 of [A-Za-z0-9_-].',
  {
    pattern: '^[A-Za-z0-9_-]{8,100}$',
  },
);
const seqResult = obj({ seq: int('The seq of the event this action appended.') });

const ANYONE = ['secretariat', 'leader', 'supervisor', 'unit_handler', 'attendee'];
const ATTENDEE = ['attendee'];
const CHAIR = ['secretariat', 'leader'];

interface ClientEventDoc {
  summary: string;
  roles: string[];
  request: Schema;
  ack: Schema;
  errors: string[];
}

const CLIENT_EVENTS: Record<keyof ClientToServerEvents, ClientEventDoc> = {
  'meeting.join': {
    summary:
      'Follow a meeting. Without afterSeq: a snapshot and the seq it reflects. With afterSeq: exactly the events after it, from the database (or a snapshot when more than 1000 behind). The socket is put in the room before anything is read, so nothing is lost between the answer and the pushes.',
    roles: ANYONE,
    request: obj({ meetingId: uuid(), afterSeq: { type: 'integer', minimum: 0 } }, ['meetingId']),
    ack: {
      oneOf: [
        obj({ seq: int(), snapshot: ref('MeetingSnapshot') }),
        obj({ seq: int(), events: { type: 'array', items: ref('LiveEvent') } }),
      ],
    },
    errors: ['VALIDATION', 'FORBIDDEN', 'NOT_FOUND'],
  },
  'meeting.leave': {
    summary: 'Stop receiving a meeting.',
    roles: ANYONE,
    request: obj({ meetingId: uuid() }),
    ack: obj({ left: { const: true } }),
    errors: ['VALIDATION'],
  },
  'input.submit': {
    summary:
      'Raise a problem, suggestion or opinion (checked-in attendees, meeting in session). Exactly once: the same clientKey always answers the first result and stores one row; the ack comes only after commit. anonymous: the author is never shown to anyone (events, REST, exports, audit).',
    roles: ATTENDEE,
    request: obj(
      {
        meetingId: uuid(),
        clientKey,
        kind: { enum: [...INPUT_KINDS] },
        text: str(`1–${MAX_INPUT_TEXT} characters.`, { minLength: 1, maxLength: MAX_INPUT_TEXT }),
        agendaItemId: uuid(),
        anonymous: { type: 'boolean', default: false },
      },
      ['meetingId', 'clientKey', 'kind', 'text'],
    ),
    ack: obj({ inputId: uuid(), seq: int() }),
    errors: ['VALIDATION', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'SESSION_CLOSED', 'RATE_LIMITED'],
  },
  'input.cosign': {
    summary:
      '联名: co-sign an input, once per person (a second try, with any key, answers the first seq). Not your own input. Anonymous inputs can be co-signed.',
    roles: ATTENDEE,
    request: obj({ inputId: uuid(), clientKey }),
    ack: seqResult,
    errors: ['VALIDATION', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'SESSION_CLOSED', 'RATE_LIMITED'],
  },
  'speaker.request': {
    summary: 'Ask to speak. Once in the queue, a retry answers the first seq.',
    roles: ATTENDEE,
    request: obj({ meetingId: uuid(), agendaItemId: uuid(), clientKey }, ['meetingId', 'clientKey']),
    ack: seqResult,
    errors: ['VALIDATION', 'FORBIDDEN', 'CONFLICT', 'SESSION_CLOSED', 'RATE_LIMITED'],
  },
  'speaker.withdraw': {
    summary:
      'Leave the queue (or give up the floor). Idempotent: with nothing to withdraw it answers the current seq.',
    roles: ATTENDEE,
    request: obj({ meetingId: uuid() }),
    ack: seqResult,
    errors: ['VALIDATION', 'FORBIDDEN', 'SESSION_CLOSED', 'RATE_LIMITED'],
  },
  'poll.vote': {
    summary:
      'Vote: one vote per attendee checked in to the meeting. The same clientKey answers the same receipt; a second vote for the same choice answers the first receipt; a different choice is CONFLICT. Secret and satisfaction polls: the receipt is the only link to the ballot, and it is erased from the voter record at close.',
    roles: ATTENDEE,
    request: obj({ pollId: uuid(), choice: str(), clientKey }),
    ack: obj({ receipt: str('Random; shows this ballot among the published ones.') }),
    errors: ['VALIDATION', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'SESSION_CLOSED', 'RATE_LIMITED'],
  },
  'agenda.advance': {
    summary: 'Chair: the current agenda item → done, the next pending one → current.',
    roles: CHAIR,
    request: obj({ meetingId: uuid() }),
    ack: obj({ seq: int(), currentAgendaItemId: nullable(uuid()) }),
    errors: ['VALIDATION', 'FORBIDDEN', 'NOT_FOUND', 'SESSION_CLOSED', 'INVALID_TRANSITION'],
  },
  'speaker.next': {
    summary: 'Chair: the current speaker is done; the first in the queue gets the floor.',
    roles: CHAIR,
    request: obj({ meetingId: uuid() }),
    ack: seqResult,
    errors: ['VALIDATION', 'FORBIDDEN', 'SESSION_CLOSED', 'INVALID_TRANSITION'],
  },
  'poll.open': {
    summary: `Chair: open a poll. satisfaction: choices are fixed (${SATISFACTION_CHOICES.join(' / ')} — 满意 / 基本满意 / 不满意) and targetUnitId is required.`,
    roles: CHAIR,
    request: obj(
      {
        meetingId: uuid(),
        kind: { enum: [...POLL_KINDS] },
        question: str(undefined, { minLength: 1, maxLength: 500 }),
        choices: { type: 'array', items: str(), minItems: 2, maxItems: 20, uniqueItems: true },
        targetUnitId: uuid(),
      },
      ['meetingId', 'kind', 'question'],
    ),
    ack: obj({ seq: int(), pollId: uuid() }),
    errors: ['VALIDATION', 'FORBIDDEN', 'NOT_FOUND', 'SESSION_CLOSED'],
  },
  'poll.close': {
    summary:
      'Chair: close a poll; the ack and the poll.closed event carry the exact final tally, computed from the ballots.',
    roles: CHAIR,
    request: obj({ pollId: uuid() }),
    ack: { allOf: [seqResult, ref('PollTally')] },
    errors: ['VALIDATION', 'FORBIDDEN', 'NOT_FOUND', 'INVALID_TRANSITION'],
  },
  'input.moderate': {
    summary:
      'Secretariat: hide an input, or merge it into another (it links to its target). It leaves the snapshots; the reason is audited.',
    roles: CHAIR,
    request: obj(
      {
        inputId: uuid(),
        action: { enum: [...MODERATION_ACTIONS] },
        intoInputId: uuid('Required for merge.'),
        reason: str(undefined, { minLength: 1, maxLength: 1000 }),
      },
      ['inputId', 'action', 'reason'],
    ),
    ack: seqResult,
    errors: ['VALIDATION', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT'],
  },
  'meeting.open': {
    summary: 'Secretariat: open (or reopen) the session; appends meeting.opened.',
    roles: ['secretariat'],
    request: obj({ meetingId: uuid() }),
    ack: obj({ status: str() }),
    errors: ['VALIDATION', 'FORBIDDEN', 'NOT_FOUND', 'INVALID_TRANSITION'],
  },
  'meeting.adjourn': {
    summary:
      'Secretariat: adjourn; afterwards input, co-sign, speaker requests and votes answer SESSION_CLOSED.',
    roles: ['secretariat'],
    request: obj({ meetingId: uuid() }),
    ack: obj({ status: str() }),
    errors: ['VALIDATION', 'FORBIDDEN', 'NOT_FOUND', 'INVALID_TRANSITION'],
  },
};

const tally = ref('PollTally');
const EVENT_TYPES: Record<LiveEventType, { summary: string; data: Schema }> = {
  'meeting.opened': { summary: 'The session is open.', data: obj({ meetingId: uuid(), status: str() }) },
  'meeting.adjourned': {
    summary: 'The session is adjourned.',
    data: obj({ meetingId: uuid(), status: str() }),
  },
  'agenda.advanced': {
    summary: 'The current agenda item changed.',
    data: obj({
      meetingId: uuid(),
      currentAgendaItemId: nullable(uuid()),
      items: { type: 'array', items: obj({ id: uuid(), state: { enum: ['pending', 'current', 'done'] } }) },
    }),
  },
  'input.submitted': {
    summary:
      'A new input (author null when anonymous). The envelope carries the meeting, the event its seq and time; a new input is visible and has no co-signers yet.',
    data: obj({
      inputId: uuid(),
      agendaItemId: nullable(uuid()),
      kind: { enum: [...INPUT_KINDS] },
      text: str(),
      anonymous: { type: 'boolean' },
      author: nullable(obj({ participantId: uuid(), name: str(), constituency: str() })),
    }),
  },
  'input.cosigned': {
    summary: 'Someone co-signed; the new count.',
    data: obj({ inputId: uuid(), cosignCount: int() }),
  },
  'input.moderated': {
    summary: 'An input was hidden or merged; drop it from the list.',
    data: obj({ inputId: uuid(), action: { enum: [...MODERATION_ACTIONS] }, intoInputId: nullable(uuid()) }),
  },
  'speakers.changed': {
    summary: 'The whole speakers queue and the current speaker.',
    data: ref('SpeakersState'),
  },
  'poll.opened': { summary: 'A poll opened.', data: ref('PollView') },
  'poll.tally': {
    summary: `Coalesced running tally: at most one per poll per ${TALLY_INTERVAL_MS} ms per server node.`,
    data: tally,
  },
  'poll.closed': { summary: 'The poll closed; the exact final tally.', data: tally },
  'attendance.changed': {
    summary: 'Someone checked in.',
    data: obj({ participantId: uuid(), name: str(), status: str(), present: int() }),
  },
  'task.created': {
    summary: 'The secretariat turned inputs into a task item.',
    data: obj({
      taskId: uuid(),
      problem: str(),
      leadUnitId: nullable(uuid()),
      sourceInputIds: { type: 'array', items: uuid() },
    }),
  },
  'task.changed': {
    summary:
      'Pushed on namespace /supervision only (channel.events on `unit:<id>` and `supervision` channels), never on /live: a task item changed. `version` counts the changes of the item: apply a change once, when its version is above the one you hold.',
    data: obj({
      taskId: uuid(),
      action: str(),
      state: str(),
      leadUnitId: uuid(),
      cooperatingUnitIds: { type: 'array', items: uuid() },
      deadline: str(),
      reopenCount: { type: 'integer' },
      version: int(),
    }),
  },
  'notice.received': {
    summary:
      'Pushed on namespace /supervision only (`inbox.events` to the room `inbox:<accountId>` of each socket of the account), never on /live: a notice was delivered to the account’s inbox (GET /api/notifications).',
    data: obj({
      id: uuid(),
      topic: str(),
      text: obj({ zh: str(), en: str() }),
      createdAt: str(),
    }),
  },
};

export const LIVE_CLIENT_ALGORITHM = `Client algorithm (tablets and consoles):
1. Connect to namespace ${LIVE_NAMESPACE} with auth {token} (transport websocket). A refused handshake fails with connect_error "UNAUTHORIZED" or "FORBIDDEN" (origin not allowed).
2. Keep lastSeq per meeting (0 at first). Listen to meeting.events BEFORE joining; buffer pushed batches until the join ack arrives.
3. Emit meeting.join {meetingId} (first time) or {meetingId, afterSeq: lastSeq} (after a reconnect). The ack gives {seq, snapshot} (replace your state) or {seq, events} (apply them in order). Set lastSeq = seq.
4. Apply buffered and later pushed events: drop every event with seq ≤ lastSeq (already seen); apply seq = lastSeq + 1 and advance lastSeq; if an event has seq > lastSeq + 1 you missed something: rejoin with afterSeq = lastSeq (step 3).
5. On disconnect (flaky Wi-Fi, server restart, token expiry) reconnect — with a fresh token when it expired (the server disconnects an open socket when its token runs out: reason "io server disconnect") — and rejoin with afterSeq = lastSeq. Any node answers from the database.
6. Writes (input.submit, input.cosign, speaker.request, poll.vote) carry a clientKey created once per user action and kept until acked: on a timeout or a disconnect, send the same payload with the same clientKey again; you get the first result, never a duplicate. An ack means committed; no ack means retry.
7. Errors come through the ack as {ok:false, error:{code, message, fields?}}; the socket stays connected. RATE_LIMITED: wait a moment and retry (same clientKey). SESSION_CLOSED: the meeting is adjourned (or the poll closed).
8. Never send a frame over ${MAX_FRAME_BYTES} bytes: socket.io closes such a connection at once (reason "transport close", no ack), and nothing of the frame is stored; reconnect and rejoin. Text is limited to ${MAX_INPUT_TEXT} characters (VALIDATION).`;

/** The AsyncAPI 2.6 document of the live protocol. */
export function liveAsyncApiDocument(opts: { rateLimitPer10s?: number } = {}): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  for (const [name, doc] of Object.entries(CLIENT_EVENTS)) {
    channels[name] = {
      description: `${doc.summary}\n\nRoles: ${doc.roles.join(', ')}. Error codes: ${doc.errors.join(', ')}.`,
      publish: {
        operationId: name.replace('.', '_'),
        summary: doc.summary,
        message: {
          name,
          payload: doc.request,
          'x-ack': { description: 'socket.io acknowledgement', payload: ackOf(doc.ack) },
        },
      },
    };
  }
  channels['meeting.events'] = {
    description: `Pushed to every socket that joined the meeting: one or more events, seq strictly increasing per meeting with no gaps; only committed events, in commit order. A meeting's events are coalesced: at most one push per ${PUSH_INTERVAL_MS} ms per meeting per server node (the first after a quiet spell leaves at once).`,
    subscribe: {
      operationId: 'meeting_events',
      message: {
        name: 'meeting.events',
        payload: obj({ meetingId: uuid(), events: { type: 'array', items: ref('LiveEvent'), minItems: 1 } }),
      },
    },
  };
  const eventSchemas = Object.entries(EVENT_TYPES).map(([type, e]) => ({
    title: type,
    description: e.summary,
    ...obj({ seq: int(), type: { const: type }, at: str(undefined, { format: 'date-time' }), data: e.data }),
  }));
  return {
    asyncapi: '2.6.0',
    info: {
      title: 'Liexi 列席 live session protocol',
      version: '0.1.0',
      description: [
        `socket.io 4 namespace \`${LIVE_NAMESPACE}\` on the api's host. Handshake \`auth: {token}\` (the JWT from POST /api/auth/login); an optional Origin allow-list (LIVE_ORIGINS). Every client → server event takes an acknowledgement: \`{ok: true, data}\` or \`{ok: false, error: {code, message, fields?}}\`.`,
        '',
        "Guarantees: an ack means committed (exactly once by clientKey); every change is appended to the meeting's event log in its own transaction and pushed after commit; `meeting.join` with afterSeq answers exactly what was missed, from the database.",
        '',
        `Limits: per user ${opts.rateLimitPer10s ?? 'LIVE_RATE_LIMIT'} events per 10 s (token bucket; RATE_LIMITED for that user only); text ≤ ${MAX_INPUT_TEXT} characters; frames ≤ ${MAX_FRAME_BYTES} bytes (socket.io maxHttpBufferSize: a larger frame closes that connection, nothing is stored, other clients are unaffected); per-meeting authorization on every event; the socket is closed when its token expires; SESSION_CLOSED after adjourn.`,
        '',
        `Polls: named (who voted what is kept), secret and satisfaction (tallies only; after close no link from a ballot to a voter remains in the database). Turnout = voted / attendees checked in. Tallies are coalesced (≤ one poll.tally per ${TALLY_INTERVAL_MS} ms per poll per node); the final one comes with poll.closed.`,
        '',
        'Anonymous input: the author never appears in events, snapshots, REST answers, exports or the audit log; co-sign counts still work.',
        '',
        LIVE_CLIENT_ALGORITHM,
      ].join('\n'),
    },
    defaultContentType: 'application/json',
    servers: {
      api: {
        url: '{host}',
        protocol: 'wss',
        description: `socket.io namespace ${LIVE_NAMESPACE} on the api (ws:// without TLS).`,
        variables: { host: { default: 'localhost:3000' } },
        security: [{ jwt: [] }],
      },
    },
    channels,
    components: {
      securitySchemes: {
        jwt: {
          type: 'httpApiKey',
          name: 'auth.token',
          in: 'query',
          description: 'socket.io handshake auth {token}: the JWT access token.',
        },
      },
      schemas: {
        ErrorBody: obj(
          {
            code: { enum: [...ERROR_CODES] },
            message: str('Localized (Accept-Language zh-CN or en).'),
            fields: { type: 'object', additionalProperties: { type: 'array', items: str() } },
            allowed: { type: 'array', items: str() },
            correlationId: str(),
          },
          ['code', 'message'],
        ),
        LiveEvent: { oneOf: eventSchemas },
        InputView: obj({
          inputId: uuid(),
          meetingId: uuid(),
          agendaItemId: nullable(uuid()),
          kind: { enum: [...INPUT_KINDS] },
          text: str(),
          anonymous: { type: 'boolean' },
          author: nullable(obj({ participantId: uuid(), name: str(), constituency: str() })),
          cosignCount: int(),
          hidden: { type: 'boolean' },
          submittedAt: str(undefined, { format: 'date-time' }),
          seq: int(),
        }),
        SpeakersState: obj({
          queue: { type: 'array', items: ref('Speaker') },
          current: nullable(ref('Speaker')),
        }),
        Speaker: obj({ participantId: uuid(), name: str(), agendaItemId: nullable(uuid()) }),
        PollTally: obj({
          pollId: uuid(),
          counts: { type: 'object', additionalProperties: int() },
          voted: int(),
          entitled: int('Attendees checked in now.'),
        }),
        PollView: {
          allOf: [
            ref('PollTally'),
            obj({
              meetingId: uuid(),
              kind: { enum: [...POLL_KINDS] },
              question: str(),
              choices: { type: 'array', items: str() },
              targetUnitId: nullable(uuid()),
              state: { enum: ['open', 'closed'] },
            }),
          ],
        },
        MeetingSnapshot: obj({
          meetingId: uuid(),
          title: str(),
          status: str(),
          currentAgendaItemId: nullable(uuid()),
          agenda: {
            type: 'array',
            items: obj({ id: uuid(), title: str(), category: str(), order: int(), state: str() }),
          },
          inputs: { type: 'array', items: ref('InputView') },
          attendance: obj({ present: int(), invited: int() }),
          speakers: ref('SpeakersState'),
          openPolls: { type: 'array', items: ref('PollView') },
        }),
      },
    },
  };
}

function ackOf(data: Schema): Schema {
  return {
    oneOf: [obj({ ok: { const: true }, data }), obj({ ok: { const: false }, error: ref('ErrorBody') })],
  };
}
