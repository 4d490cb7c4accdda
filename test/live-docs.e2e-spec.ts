/*
 * The AsyncAPI 3.0 document of the socket protocol: served beside the OpenAPI one, valid by
 * @asyncapi/parser, built from the gateways' route tables (every event, its roles) with acks as
 * reply messages and error codes, states and kinds as enums.
 */
import { Parser } from '@asyncapi/parser';
import { ERROR_CODES, TASK_STATES } from '@liexi/contracts';
import { Api, startTestApp, type TestApp } from './support/app';

const LIVE_EVENTS = [
  'meeting.join',
  'meeting.leave',
  'input.submit',
  'input.cosign',
  'speaker.request',
  'speaker.withdraw',
  'poll.vote',
  'agenda.advance',
  'speaker.next',
  'poll.open',
  'poll.close',
  'input.moderate',
  'meeting.open',
  'meeting.adjourn',
];
const LIVE_EVENT_TYPES = [
  'meeting.opened',
  'meeting.adjourned',
  'agenda.advanced',
  'input.submitted',
  'input.cosigned',
  'input.moderated',
  'speakers.changed',
  'poll.opened',
  'poll.tally',
  'poll.closed',
  'attendance.changed',
  'task.created',
];

describe('AsyncAPI document', () => {
  let t: TestApp;
  let doc: any;
  beforeAll(async () => {
    t = await startTestApp({ LIVE_RATE_LIMIT: '42' });
    const res = await new Api(t.baseUrl).get<any>('/api/docs/asyncapi');
    expect(res.status).toBe(200);
    doc = res.body;
  });
  afterAll(async () => {
    await t.close();
  });

  it('is AsyncAPI 3.0 that @asyncapi/parser accepts without errors', async () => {
    expect(doc.asyncapi).toBe('3.0.0');
    const { document, diagnostics } = await new Parser().parse(JSON.stringify(doc));
    const errors = diagnostics.filter((d) => Number(d.severity) === 0); // DiagnosticSeverity.Error
    expect(errors.map((e) => `${e.path.join('.')}: ${e.message}`)).toEqual([]);
    expect(document).toBeDefined();
    expect(
      document
        ?.channels()
        .all()
        .map((c) => c.address()),
    ).toEqual(['/live', '/supervision']);
  });

  it('describes every client event of both namespaces with its roles and its ack as a reply', () => {
    const received = (ns: string): string[] =>
      Object.entries(doc.operations as Record<string, any>)
        .filter(([, op]) => op.action === 'receive' && op.channel.$ref === `#/channels/${ns}`)
        .map(([, op]) => op.title)
        .sort();
    expect(received('live')).toEqual([...LIVE_EVENTS].sort());
    expect(received('supervision')).toEqual(['channel.join', 'channel.leave']);
    const submit = doc.operations['live.input.submit'];
    expect(submit['x-roles']).toEqual(['attendee']);
    expect(submit.reply.messages[0].$ref).toBe('#/channels/live/messages/input.submit.ack');
    expect(doc.operations['live.poll.open']['x-roles']).toEqual(['secretariat', 'leader']);
    // The request body comes from the DTO the router validates with.
    expect(doc.components.messages['live.input.submit'].payload.$ref).toBe(
      '#/components/schemas/SubmitInputDto',
    );
    expect(doc.components.schemas.SubmitInputDto.properties.text.maxLength).toBe(4000);
    // Error codes of an ack as an enum, from the shared error codes.
    const ack = doc.components.messages['live.input.submit.ack'].payload.oneOf[1];
    const codes: string[] = ack.properties.error.properties.code.enum;
    expect(codes).toEqual(expect.arrayContaining(['SESSION_CLOSED', 'RATE_LIMITED', 'VALIDATION']));
    for (const c of codes) expect(ERROR_CODES).toContain(c);
    expect(JSON.stringify(doc)).not.toContain('x-ack');
  });

  it('pushes meeting events on /live only and task changes on /supervision only, states as enums', () => {
    const types = doc.components.schemas.LiveEvent.oneOf.map((s: { title: string }) => s.title);
    expect(types.sort()).toEqual([...LIVE_EVENT_TYPES].sort());
    expect(Object.keys(doc.channels.live.messages)).toContain('meeting.events');
    expect(Object.keys(doc.channels.live.messages)).not.toContain('channel.events');
    expect(Object.keys(doc.channels.supervision.messages)).toContain('channel.events');
    const changed = doc.components.schemas.TaskChangedEnvelope.properties.data.properties;
    expect(changed.state.enum).toEqual([...TASK_STATES]);
    expect(doc.components.schemas.MeetingSnapshot.properties.status.enum).toContain('in_session');
    expect(doc.info.description).toContain('42 events per 10 s');
    expect(doc.channels.live.description).toContain('afterSeq = lastSeq');
    // Every $ref resolves.
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([A-Za-z]+)"/g)].map(
      (m) => m[1],
    );
    for (const r of new Set(refs)) expect(doc.components.schemas[r]).toBeDefined();
  });
});
