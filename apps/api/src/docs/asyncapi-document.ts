import type { Type } from '@nestjs/common';
import { generateSchema } from '@nestjs/swagger';
import {
  ackSchema,
  CHANNEL_EVENTS_BATCH,
  type ClientEventSchema,
  LIVE_CLIENT_ALGORITHM,
  LIVE_EVENT_SCHEMAS,
  LIVE_NAMESPACE,
  LIVE_PUSH_SUMMARY,
  MAX_FRAME_BYTES,
  MAX_INPUT_TEXT,
  MEETING_EVENTS_BATCH,
  type Schema,
  socketSchemas,
  SUPERVISION_EVENT_SCHEMAS,
  SUPERVISION_NAMESPACE,
  TALLY_INTERVAL_MS,
} from '@liexi/contracts';
import { LIVE_ROUTES } from '../live/live.gateway';
import type { SocketRouteSpec } from '../live/socket-router';
import { SUPERVISION_ROUTES } from '../live/supervision.gateway';
import { API_VERSION } from './openapi-document';

/** OpenAPI 3.0 schemas (Nest's, from the DTO classes) as AsyncAPI's JSON Schema: `nullable` becomes a null type. */
function jsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(jsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const { nullable, ...rest } = node as Schema;
  const out = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, jsonSchema(v)]));
  if (nullable !== true) return out;
  return { oneOf: [out, { type: 'null' }] };
}

interface Namespace {
  id: 'live' | 'supervision';
  address: string;
  description: string;
  routes: Record<string, SocketRouteSpec>;
  events: Record<string, ClientEventSchema>;
  push: { name: string; summary: string; payload: Schema };
}

/**
 * The AsyncAPI 3.0 document of both socket.io namespaces, built from the code: each client
 * event's roles and request body from the gateways' route tables (the DTO classes the router
 * validates with), its ack as a reply message with its error codes as an enum, and the pushes
 * from the contract schemas in libs/contracts.
 */
export function buildAsyncApiDocument(opts: { rateLimitPer10s?: number } = {}): Record<string, unknown> {
  let dtoSchemas: Record<string, Schema> = {};
  const requestOf = (dto: Type<unknown>): Schema => {
    dtoSchemas = generateSchema(dto, dtoSchemas as never).schemas as Record<string, Schema>;
    return { $ref: `#/components/schemas/${dto.name}` };
  };
  const namespaces: Namespace[] = [
    {
      id: 'live',
      address: LIVE_NAMESPACE,
      description: `The live session (tablets and the chair's console). ${LIVE_CLIENT_ALGORITHM}`,
      routes: LIVE_ROUTES,
      events: LIVE_EVENT_SCHEMAS,
      push: { name: 'meeting.events', summary: LIVE_PUSH_SUMMARY, payload: MEETING_EVENTS_BATCH },
    },
    {
      id: 'supervision',
      address: SUPERVISION_NAMESPACE,
      description:
        'Task item changes for units (`unit:<unitId>` channels) and the supervision office (the `supervision` channel, every unit stream with a cursor per stream). Keep the last seq per stream; drop events at or below it; rejoin with afterSeq/afterSeqs on a gap or after a reconnect.',
      routes: SUPERVISION_ROUTES,
      events: SUPERVISION_EVENT_SCHEMAS,
      push: {
        name: 'channel.events',
        summary: 'Committed task changes of one unit stream, in seq order, coalesced per stream (20 ms).',
        payload: CHANNEL_EVENTS_BATCH,
      },
    },
  ];
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const ns of namespaces) {
    const channelMessages: Record<string, unknown> = {};
    for (const [event, route] of Object.entries(ns.routes)) {
      const doc = ns.events[event];
      if (!doc) throw new Error(`no ack schema for ${ns.address} ${event}`);
      const request = `${ns.id}.${event}`;
      const ack = `${ns.id}.${event}.ack`;
      messages[request] = {
        name: event,
        title: event,
        summary: doc.summary,
        payload: requestOf(route.dto),
      };
      messages[ack] = {
        name: `${event} (ack)`,
        title: `${event} acknowledgement`,
        summary: `The socket.io acknowledgement of ${event}: {ok: true, data} or {ok: false, error}.`,
        payload: ackSchema(doc.ack, doc.errors),
      };
      channelMessages[event] = { $ref: `#/components/messages/${request}` };
      channelMessages[`${event}.ack`] = { $ref: `#/components/messages/${ack}` };
      operations[request] = {
        action: 'receive',
        channel: { $ref: `#/channels/${ns.id}` },
        title: event,
        summary: doc.summary,
        description: `**Roles**: ${route.roles.join(', ')}.${route.limited === false ? '' : ' Counted against the sender’s rate limit.'}`,
        'x-roles': [...route.roles],
        messages: [{ $ref: `#/channels/${ns.id}/messages/${event}` }],
        reply: {
          channel: { $ref: `#/channels/${ns.id}` },
          messages: [{ $ref: `#/channels/${ns.id}/messages/${event}.ack` }],
        },
      };
    }
    const push = `${ns.id}.${ns.push.name}`;
    messages[push] = {
      name: ns.push.name,
      title: ns.push.name,
      summary: ns.push.summary,
      payload: ns.push.payload,
    };
    channelMessages[ns.push.name] = { $ref: `#/components/messages/${push}` };
    operations[push] = {
      action: 'send',
      channel: { $ref: `#/channels/${ns.id}` },
      title: ns.push.name,
      summary: ns.push.summary,
      messages: [{ $ref: `#/channels/${ns.id}/messages/${ns.push.name}` }],
    };
    channels[ns.id] = {
      address: ns.address,
      title: `socket.io namespace ${ns.address}`,
      description: ns.description,
      messages: channelMessages,
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Liexi 列席 socket protocol',
      version: API_VERSION,
      description: [
        `socket.io 4 namespaces \`${LIVE_NAMESPACE}\` and \`${SUPERVISION_NAMESPACE}\` on the api's host. Handshake \`auth: {token}\` (the JWT from POST /api/auth/login). Every client event takes an acknowledgement (the reply message of its operation): \`{ok: true, data}\` or \`{ok: false, error: {code, message, fields?}}\`.`,
        '',
        "Guarantees: an ack means committed (exactly once by clientKey); every change is appended to its stream's event log in its own transaction and pushed after commit; a join with afterSeq answers exactly what was missed.",
        '',
        `Limits: per user ${opts.rateLimitPer10s ?? 'LIVE_RATE_LIMIT'} events per 10 s on ${LIVE_NAMESPACE} (RATE_LIMITED for that user only); text ≤ ${MAX_INPUT_TEXT} characters; frames ≤ ${MAX_FRAME_BYTES} bytes (a larger frame closes that connection: "transport close", nothing stored); the socket is closed when its token expires. Tallies: at most one poll.tally per ${TALLY_INTERVAL_MS} ms per poll per node.`,
      ].join('\n'),
    },
    defaultContentType: 'application/json',
    servers: {
      api: {
        host: 'localhost:3000',
        protocol: 'ws',
        description: 'The api itself (wss behind TLS); socket.io on the same port as HTTP.',
        security: [{ $ref: '#/components/securitySchemes/jwt' }],
      },
    },
    channels,
    operations,
    components: {
      schemas: { ...socketSchemas(), ...(jsonSchema(dtoSchemas) as Schema) },
      messages,
      securitySchemes: {
        jwt: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'The access token, sent in the socket.io handshake as `auth: {token}`.',
        },
      },
    },
  };
}
