import { Inject, Logger, type OnModuleDestroy } from '@nestjs/common';
import { type OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import {
  type ChannelJoinResult,
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
import {
  type Actor,
  AccessChanges,
  APP_CONFIG,
  type AppConfig,
  EventLogService,
  socketAuth,
  TokenService,
} from '@liexi/platform';
import type { Subscription } from 'rxjs';
import type { Namespace, Socket } from 'socket.io';
import { PushCoalescer } from './push-coalescer';
import { dropSocketsOnAccessChange } from './socket-access';
import { type SocketData, type SocketRoute, SocketRouter } from './socket-router';

type SupervisionSocket = Socket<
  SupervisionClientEvents,
  SupervisionServerEvents,
  never,
  SocketData & { streams?: Map<string, Set<string>> }
>;
const STAFF = ['secretariat', 'leader', 'supervisor', 'unit_handler'] as const;

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
  private accessSubscription?: Subscription;
  private pushes?: PushCoalescer<LiveEvent>;
  readonly router: SocketRouter<SupervisionSocket>;

  constructor(
    private readonly channels: SupervisionChannelsService,
    private readonly tokens: TokenService,
    private readonly events: EventLogService,
    private readonly access: AccessChanges,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    const route = <D extends object>(
      dto: new () => D,
      handle: (actor: Actor, body: D, socket: SupervisionSocket) => Promise<unknown>,
    ): SocketRoute<SupervisionSocket> => ({
      roles: STAFF,
      dto,
      handle,
      limited: false,
    });
    this.router = new SocketRouter<SupervisionSocket>({
      'channel.join': route(JoinChannelDto, (a, d, s) => this.join(a, d, s)),
      'channel.leave': route(ChannelDto, (_a, d, s) => this.leave(d, s)),
    } satisfies Record<keyof SupervisionClientEvents, SocketRoute<SupervisionSocket>>);
  }

  afterInit(server: Namespace<SupervisionClientEvents, SupervisionServerEvents>): void {
    server.use(socketAuth(this.tokens, this.config));
    this.accessSubscription = dropSocketsOnAccessChange(server, this.access);
    // One room per unit stream, and the office's room following all of them; coalesced per stream.
    const pushes = new PushCoalescer<LiveEvent>(PUSH_INTERVAL_MS, (stream, events) => {
      server.to(stream).emit('channel.events', { channel: stream, stream, events });
      server.to(SUPERVISION_CHANNEL).emit('channel.events', { channel: SUPERVISION_CHANNEL, stream, events });
    });
    this.pushes = pushes;
    // Only committed events, in seq order per stream, reach the rooms.
    this.subscription = this.events.published.subscribe(({ stream, event }) => {
      if (unitOfStream(stream)) pushes.add(stream, event);
    });
    server.on('connection', (socket: SupervisionSocket) => {
      this.router.attach(socket);
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
