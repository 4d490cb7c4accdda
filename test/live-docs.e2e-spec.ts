/* The AsyncAPI document of /live is served beside the OpenAPI one and names every event. */
import { Api, startTestApp, type TestApp } from './support/app';

const CLIENT_EVENTS = [
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
const EVENT_TYPES = [
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
  // Pushed on /supervision channels only, documented in the same event table.
  'task.changed',
];

describe('AsyncAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LIVE_RATE_LIMIT: '42' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('is served without a token at /api/docs/asyncapi and covers the whole protocol', async () => {
    const res = await new Api(t.baseUrl).get<any>('/api/docs/asyncapi');
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.asyncapi).toBe('2.6.0');
    expect(Object.keys(doc.channels).sort()).toEqual([...CLIENT_EVENTS, 'meeting.events'].sort());
    for (const e of CLIENT_EVENTS) expect(doc.channels[e].publish.message['x-ack']).toBeDefined();
    const types = doc.components.schemas.LiveEvent.oneOf.map((s: { title: string }) => s.title);
    expect(types.sort()).toEqual([...EVENT_TYPES].sort());
    expect(doc.info.description).toContain('42 events per 10 s');
    expect(doc.info.description).toContain('afterSeq = lastSeq');
    expect(doc.info.description).toContain('transport close');
    // Every $ref resolves.
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([A-Za-z]+)"/g)].map(
      (m) => m[1],
    );
    for (const r of new Set(refs)) expect(doc.components.schemas[r]).toBeDefined();
    // The OpenAPI document still answers beside it.
    expect((await new Api(t.baseUrl).get('/api/docs-json')).status).toBe(200);
  });
});
