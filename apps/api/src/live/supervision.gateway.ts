import { Inject, Logger, type OnModuleDestroy } from '@nestjs/common';
import { type OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import {
  type ChannelJoinResult,
  FIGURES_ROOM,
  inboxRoom,
  type LiveEvent,
  MAX_FRAME_BYTES,
  PUSH_INTERVAL_MS,
  SUPERVISION_CHANNEL,
  SUPERVISION_NAMESPACE,
  type SupervisionClientEvents,
  type SupervisionServerEvents,
  unitOfStream,
} from '@liexi/contracts';
import { ChannelDto, JoinChannelDto, SupervisionChannelsService } from '@liexi/handling';
import { DashboardFeedService } from '@liexi/insights';
import {
  accountOfInboxStream,
  type Actor,
  AccessChanges,
  APP_CONFIG,
  type AppConfig,
  accountRoom,
  DrainState,
  EventLogService,
  SocketSessions,
  socketAuth,
  TokenService,
} from '@liexi/platform';
import type { Subscription } from 'rxjs';
import type { Namespace, Socket } from 'socket.io';
import { PushCoalescer } from './push-coalescer';
import { dropSocketsOnAccessChange } from './socket-access';
import { type SocketData, type SocketRoute, type SocketRouteSpec, SocketRouter } from './socket-router';

type SupervisionSocket = Socket<
  SupervisionClientEvents,
  SupervisionServerEvents,
  never,
  SocketData & { streams?: Map<string, Set<string>> }
>;
const STAFF = ['secretariat', 'leader', 'supervisor', 'unit_handler'] as const;

/** Who may send each `/supervision` event and its body (not rate-limited); the AsyncAPI document is built from it. */
export const SUPERVISION_ROUTES = {
  'channel.join': { roles: STAFF, dto: JoinChannelDto, limited: false },
  'channel.leave': { roles: STAFF, dto: ChannelDto, limited: false },
} as const satisfies Record<keyof SupervisionClientEvents, SocketRouteSpec>;

/**
 * Item changes for units and the supervision office (`/supervision`; the protocol is described
 * in `libs/contracts/src/supervision-events.ts`). Task changes are appended only to unit streams
 * `unit:<unitId>` — no stream every task write must lock. A committed event of `unit:X` goes to
 * room `unit:X` (that unit's channel, gap-free by `seq`, resumed with `afterSeq`) and to room
 * `supervision` (the office's channel: every unit stream, each push naming its `stream`, gap-free
 * per stream, resumed with `afterSeqs`). Authenticated in the handshake; every event goes
 * through the same route table as `/live` (role, validation, ack).
 */
@WebSocketGateway({
  namespace: SUPERVISION_NAMESPACE,
  // Origins: OriginCheckedIoAdapter (the api's own origin plus LIVE_ORIGINS).
  // One socket.io server serves every namespace, configured by whichever gateway starts first:
  // the frame limit must be the same everywhere.
  maxHttpBufferSize: MAX_FRAME_BYTES,
})
export class SupervisionGateway implements OnGatewayInit, OnModuleDestroy {
  private readonly logger = new Logger('SupervisionGateway');
  private subscription?: Subscription;
  private namespace?: Namespace;
  private accessSubscription?: Subscription;
  private pushes?: PushCoalescer<LiveEvent>;
  readonly router: SocketRouter<SupervisionSocket>;

  constructor(
    private readonly channels: SupervisionChannelsService,
    private readonly tokens: TokenService,
    private readonly events: EventLogService,
    private readonly access: AccessChanges,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly drainState: DrainState,
    private readonly sessions: SocketSessions,
    private readonly feed: DashboardFeedService,
  ) {
    const route = <K extends keyof typeof SUPERVISION_ROUTES>(
      event: K,
      handle: (
        actor: Actor,
        body: InstanceType<(typeof SUPERVISION_ROUTES)[K]['dto']>,
        socket: SupervisionSocket,
      ) => Promise<unknown>,
    ): SocketRoute<SupervisionSocket> => ({ ...SUPERVISION_ROUTES[event], handle });
    this.router = new SocketRouter<SupervisionSocket>({
      'channel.join': route('channel.join', (a, d, s) => this.join(a, d, s)),
      'channel.leave': route('channel.leave', (_a, d, s) => this.leave(d, s)),
    } satisfies Record<keyof SupervisionClientEvents, SocketRoute<SupervisionSocket>>);
  }

  /**
   * SIGTERM: new events are refused (UNAVAILABLE), the acks in hand are answered, then every
   * socket's transport is closed — the client reconnects by itself (reason "transport close")
   * through the balancer to another node and rejoins with afterSeq.
   */
  async drain(): Promise<void> {
    await this.router.drain();
    for (const socket of this.namespace?.sockets.values() ?? []) socket.conn.close();
  }

  afterInit(server: Namespace<SupervisionClientEvents, SupervisionServerEvents>): void {
    this.namespace = server;
    this.sessions.onDisconnect((accountIds) =>
      server.in(accountIds.map(accountRoom)).disconnectSockets(true),
    );
    // A node that is draining takes no new socket: the client retries (and reaches another node).
    server.use((socket, next) => {
      if (!this.drainState.draining) return next();
      socket.conn.close();
      next(new Error('UNAVAILABLE'));
    });
    server.use(socketAuth(this.tokens, this.config));
    this.accessSubscription = dropSocketsOnAccessChange(server, this.access);
    // One room per unit stream, and the office's room following all of them; coalesced per stream.
    const pushes = new PushCoalescer<LiveEvent>(PUSH_INTERVAL_MS, (stream, events) => {
      server.local.to(stream).emit('channel.events', { channel: stream, stream, events });
      server.local
        .to(SUPERVISION_CHANNEL)
        .emit('channel.events', { channel: SUPERVISION_CHANNEL, stream, events });
    });
    this.pushes = pushes;
    // Only committed events, in seq order per stream, reach the rooms.
    this.subscription = this.events.published.subscribe(({ stream, event }) => {
      if (unitOfStream(stream)) pushes.add(stream, event);
      // Issue 10: a notice delivered to an account's inbox, to that account's sockets.
      else if (accountOfInboxStream(stream))
        server.local.to(stream).emit('inbox.events', { events: [event] });
    });
    // Issue 10: the dashboard's figures, recomputed (coalesced) while overseers listen here.
    this.feed.listenWith(() => server.adapter.rooms.get(FIGURES_ROOM)?.size ?? 0);
    this.subscription.add(
      this.feed.updates.subscribe((o) => server.local.to(FIGURES_ROOM).emit('figures.updated', o)),
    );
    server.on('connection', (socket: SupervisionSocket) => {
      this.router.attach(socket);
      const { actor } = socket.data;
      // Every socket of an account, on any node, can be reached through one room (SocketSessions).
      void socket.join(accountRoom(actor.accountId));
      void socket.join(inboxRoom(actor.accountId));
      if (actor.role !== 'unit_handler' && actor.role !== 'attendee') void socket.join(FIGURES_ROOM);
      socket.on('disconnect', () => {
        for (const streams of socket.data.streams?.values() ?? [])
          for (const s of streams) this.events.unfollow(s);
      });
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
    this.accessSubscription?.unsubscribe();
    this.pushes?.stop();
    this.logger.log('supervision gateway stopped');
  }

  private async join(
    actor: Actor,
    dto: JoinChannelDto,
    socket: SupervisionSocket,
  ): Promise<ChannelJoinResult> {
    const result = await this.channels.join(actor, dto, (room) => socket.join(room) ?? Promise.resolve());
    // Streams this socket now follows, with the seq it was answered (later events are pushed).
    const cursors =
      'seqs' in result && result.seqs ? result.seqs : { [dto.channel]: (result as { seq: number }).seq };
    const followed = (socket.data.streams ??= new Map());
    if (!followed.has(dto.channel)) {
      followed.set(dto.channel, new Set(Object.keys(cursors)));
      for (const [stream, seq] of Object.entries(cursors)) this.events.follow(stream, seq);
    }
    return result;
  }

  private async leave(dto: ChannelDto, socket: SupervisionSocket): Promise<{ left: true }> {
    await socket.leave(dto.channel);
    for (const s of socket.data.streams?.get(dto.channel) ?? []) this.events.unfollow(s);
    socket.data.streams?.delete(dto.channel);
    return { left: true };
  }
}
