import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { Api, connectLive, connectNamespace, emitAck } from './app';
import { demoMeetingId } from './demo-meeting';

/** Everyone of the demo cast, logged in. */
export interface Cast {
  secretary: Api;
  leader: Api;
  supervisor: Api;
  handler: Api;
  head: Api;
  member: Api;
  citizen: Api;
  units: Record<string, string>;
  meetingId: string;
  sockets: Socket[];
  /** A fresh input by `who` (member1 by default) in the demo meeting. */
  input(who?: Api, anonymous?: boolean): Promise<string>;
}

export async function cast(baseUrl: string): Promise<Cast> {
  const [secretary, leader, supervisor, handler, head, member, citizen] = await Promise.all(
    ['secretary', 'leader', 'supervisor', 'handler', 'head', 'member1', 'citizen1'].map((u) =>
      Api.login(baseUrl, u),
    ),
  );
  const list = await secretary.all<{ id: string; name: string }>('/api/units');
  const units = Object.fromEntries(list.map((u) => [u.name, u.id]));
  const meetingId = await demoMeetingId(secretary);
  const sockets: Socket[] = [];
  const bySocket = new Map<string, Socket>();
  return {
    secretary: secretary,
    leader: leader,
    supervisor: supervisor,
    handler: handler,
    head: head,
    member: member,
    citizen: citizen,
    units,
    meetingId,
    sockets,
    async input(who = member, anonymous = false) {
      let s = bySocket.get(who.token ?? '');
      if (!s) {
        s = await connectLive(baseUrl, who.token);
        sockets.push(s);
        bySocket.set(who.token ?? '', s);
      }
      const ack = await emitAck(s, 'input.submit', {
        meetingId,
        clientKey: randomUUID(),
        kind: 'problem',
        text: `问题 ${randomUUID().slice(0, 8)}`,
        anonymous,
      });
      if (!ack.ok) throw new Error(JSON.stringify(ack.error));
      return (ack.data as { inputId: string }).inputId;
    },
  };
}

export const LEAD = '县金融服务中心';
export const COOP = '县农村商业银行';

export function itemBody(c: Cast, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    problem: '医疗器械项目缺少抵押物，融资难',
    leadUnitId: c.units[LEAD],
    measure: '知识产权质押贷款',
    deadline: '2026-12-31',
    closeOutStandard: '贷款审批发放到位',
    taskClass: 'A',
    urgency: 'immediate',
    ...over,
  };
}

/** The steps that walk an item through the loop, each by its proper actor. */
export function stepper(c: Cast): Record<string, (id: string) => Promise<{ status: number; body: any }>> {
  return {
    assign: (id) => c.secretary.post(`/api/tasks/${id}/assign`, {}),
    accept: (id) => c.handler.post(`/api/tasks/${id}/accept`),
    return: (id) => c.handler.post(`/api/tasks/${id}/return`, { reason: '不属于本单位职责' }),
    start: (id) => c.handler.post(`/api/tasks/${id}/start`),
    draft_reply: (id) => c.handler.post(`/api/tasks/${id}/reply`, { body: '已办理：贷款获批。' }),
    sign_reply: (id) => c.head.post(`/api/tasks/${id}/reply/sign`, {}),
    review_reply: (id) => c.secretary.post(`/api/tasks/${id}/reply/review`, {}),
    approve_reply: (id) => c.leader.post(`/api/tasks/${id}/reply/approve`, {}),
    send_reply: (id) => c.secretary.post(`/api/tasks/${id}/reply/send`, {}),
    evaluate: (id) => c.member.post(`/api/tasks/${id}/evaluation`, { rating: 'satisfied' }),
    reopen: (id) => c.secretary.post(`/api/tasks/${id}/reopen`, { reason: '复查', deadline: '2027-03-31' }),
    close: (id) => c.secretary.post(`/api/tasks/${id}/close`),
  };
}

/** Runs steps in order, failing loudly on the first refusal. */
/** The lead unit's and the approvers' steps from `assigned` to `replied`. */
export const TO_REPLIED = [
  'accept',
  'start',
  'draft_reply',
  'sign_reply',
  'review_reply',
  'approve_reply',
  'send_reply',
] as const;

export async function walk(c: Cast, id: string, steps: string[]): Promise<any> {
  const s = stepper(c);
  let last: any = null;
  for (const step of steps) {
    const fn = s[step];
    if (!fn) throw new Error(`no step ${step}`);
    const res = await fn(id);
    if (res.status !== 200) throw new Error(`${step} → ${res.status} ${JSON.stringify(res.body)}`);
    last = res.body;
  }
  return last;
}

/** A connected `/supervision` client. */
export const connectSupervision = (baseUrl: string, token: string | undefined): Promise<Socket> =>
  connectNamespace(baseUrl, '/supervision', token);

/** A pushed event as a client sees it: the channel it came on and the stream it belongs to. */
export interface SeenEvent {
  channel: string;
  stream: string;
  seq: number;
  type: string;
  data: any;
}

export function collectChannel(socket: Socket): SeenEvent[] {
  const seen: SeenEvent[] = [];
  socket.on(
    'channel.events',
    (batch: { channel: string; stream: string; events: { seq: number; type: string; data: any }[] }) => {
      for (const e of batch.events) seen.push({ channel: batch.channel, stream: batch.stream, ...e });
    },
  );
  return seen;
}
