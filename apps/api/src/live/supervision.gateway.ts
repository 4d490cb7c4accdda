import { Inject, Logger, type OnModuleDestroy, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import {
  type Ack,
  type ChannelJoinResult,
  MAX_FRAME_BYTES,
  SUPERVISION_CHANNEL,
  SUPERVISION_NAMESPACE,
  type SupervisionClientEvents,
  type SupervisionServerEvents,
  unitOfStream,
} from '@liexi/contracts';
import { ChannelDto, JoinChannelDto, SupervisionChannelsService } from '@liexi/handling';
import {
  AccessGuard,
  type Actor,
  APP_CONFIG,
  type AppConfig,
  createValidationPipe,
  CurrentActor,
  EventLogService,
  ExceptionsFilter,
  Roles,
  socketAuth,
  TokenService,
} from '@liexi/platform';
import type { Subscription } from 'rxjs';
import type { Namespace, Socket } from 'socket.io';

type SupervisionSocket = Socket<SupervisionClientEvents, SupervisionServerEvents>;
const ok = <T>(data: T): Ack<T> => ({ ok: true, data });

/**
 * Item changes for units and the supervision office (`/supervision`; the protocol is described
 * in `libs/contracts/src/supervision-events.ts`). Task changes are appended only to unit streams
 * `unit:<unitId>` — no stream every task write must lock. A committed event of `unit:X` goes to
 * room `unit:X` (that unit's channel, gap-free by `seq`, resumed with `afterSeq`) and to room
 * `supervision` (the office's channel: every unit stream, each push naming its `stream`, gap-free
 * per stream, resumed with `afterSeqs`). Authenticated in the handshake; every event
 * role-checked and validated.
 */
@WebSocketGateway({
  namespace: SUPERVISION_NAMESPACE,
  cors: { origin: true, credentials: true },
  // One socket.io server serves every namespace, configured by whichever gateway starts first:
  // the frame limit must be the same everywhere.
  maxHttpBufferSize: MAX_FRAME_BYTES,
})
@UseGuards(AccessGuard)
@UseFilters(ExceptionsFilter)
@UsePipes(createValidationPipe())
export class SupervisionGateway implements OnGatewayInit, OnModuleDestroy {
  private readonly logger = new Logger('SupervisionGateway');
  private subscription?: Subscription;

  constructor(
    private readonly channels: SupervisionChannelsService,
    private readonly tokens: TokenService,
    private readonly events: EventLogService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  afterInit(server: Namespace): void {
    server.use(socketAuth(this.tokens, this.config));
    // Only committed events, in seq order per stream, reach the rooms.
    this.subscription = this.events.published.subscribe(({ stream, event }) => {
      if (!unitOfStream(stream)) return;
      server.to(stream).emit('channel.events', { channel: stream, stream, events: [event] });
      server
        .to(SUPERVISION_CHANNEL)
        .emit('channel.events', { channel: SUPERVISION_CHANNEL, stream, events: [event] });
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
    this.logger.log('supervision gateway stopped');
  }

  @Roles('secretariat', 'leader', 'supervisor', 'unit_handler')
  @SubscribeMessage('channel.join')
  async join(
    @CurrentActor() actor: Actor,
    @ConnectedSocket() socket: SupervisionSocket,
    @MessageBody() dto: JoinChannelDto,
  ): Promise<Ack<ChannelJoinResult>> {
    return ok(await this.channels.join(actor, dto, (room) => socket.join(room) ?? Promise.resolve()));
  }

  @Roles('secretariat', 'leader', 'supervisor', 'unit_handler')
  @SubscribeMessage('channel.leave')
  async leave(
    @ConnectedSocket() socket: SupervisionSocket,
    @MessageBody() dto: ChannelDto,
  ): Promise<Ack<{ left: true }>> {
    await socket.leave(dto.channel);
    return ok({ left: true });
  }
}
