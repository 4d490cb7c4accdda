import { Inject, Logger, type OnModuleDestroy, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import {
  type Ack,
  type ClientToServerEvents,
  type InputSubmitResult,
  type JoinResult,
  LIVE_NAMESPACE,
  type ServerToClientEvents,
} from '@liexi/contracts';
import { JoinMeetingDto, LeaveMeetingDto, LiveService, SubmitInputDto } from '@liexi/live';
import {
  AccessGuard,
  type Actor,
  APP_CONFIG,
  type AppConfig,
  createValidationPipe,
  CurrentActor,
  DomainException,
  EventLogService,
  ExceptionsFilter,
  meetingStream,
  pickLocale,
  Roles,
  TokenService,
} from '@liexi/platform';
import type { Subscription } from 'rxjs';
import type { Namespace, Socket } from 'socket.io';

type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents>;
const ok = <T>(data: T): Ack<T> => ({ ok: true, data });

/**
 * The live edge (`/live`). Authentication happens in the handshake: a socket without a valid
 * token never connects. Every event is role-checked, validated, and answered through its ack.
 */
@WebSocketGateway({
  namespace: LIVE_NAMESPACE,
  cors: { origin: true, credentials: true },
  maxHttpBufferSize: 64 * 1024,
})
@UseGuards(AccessGuard)
@UseFilters(ExceptionsFilter)
@UsePipes(createValidationPipe())
export class LiveGateway implements OnGatewayInit, OnGatewayConnection, OnModuleDestroy {
  private readonly logger = new Logger('LiveGateway');
  private subscription?: Subscription;

  constructor(
    private readonly live: LiveService,
    private readonly tokens: TokenService,
    private readonly events: EventLogService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  afterInit(server: Namespace): void {
    server.use((socket, next) => {
      try {
        const origin = socket.handshake.headers.origin;
        if (this.config.liveOrigins.length > 0 && origin && !this.config.liveOrigins.includes(origin)) {
          throw new DomainException('FORBIDDEN', `origin ${origin} is not allowed`);
        }
        const auth = socket.handshake.auth as { token?: unknown };
        const verified = this.tokens.verify(typeof auth.token === 'string' ? auth.token : null);
        socket.data = {
          actor: verified.actor,
          exp: verified.exp,
          locale: pickLocale(socket.handshake.headers['accept-language']),
        };
        next();
      } catch (err) {
        const e = new Error(err instanceof DomainException ? err.code : 'UNAUTHORIZED');
        next(e);
      }
    });
    // Only committed events, in seq order per meeting, reach the rooms.
    this.subscription = this.events.published.subscribe(({ stream, event }) => {
      if (!stream.startsWith('meeting:')) return;
      server
        .to(stream)
        .emit('meeting.events', { meetingId: stream.slice('meeting:'.length), events: [event] });
    });
  }

  /** Token expiry is honoured on open sockets: the socket is dropped when its token runs out. */
  handleConnection(socket: LiveSocket): void {
    const exp = (socket.data as { exp?: number }).exp ?? 0;
    const timer = setTimeout(() => socket.disconnect(true), Math.max(0, exp * 1000 - Date.now()));
    socket.once('disconnect', () => clearTimeout(timer));
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
    this.logger.log('live gateway stopped');
  }

  @Roles('secretariat', 'leader', 'supervisor', 'unit_handler', 'attendee')
  @SubscribeMessage('meeting.join')
  async join(
    @CurrentActor() actor: Actor,
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() dto: JoinMeetingDto,
  ): Promise<Ack<JoinResult>> {
    return ok(
      await this.live.join(
        actor,
        dto.meetingId,
        dto.afterSeq,
        (room) => socket.join(room) ?? Promise.resolve(),
      ),
    );
  }

  @Roles('secretariat', 'leader', 'supervisor', 'unit_handler', 'attendee')
  @SubscribeMessage('meeting.leave')
  async leave(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() dto: LeaveMeetingDto,
  ): Promise<Ack<{ left: true }>> {
    await socket.leave(meetingStream(dto.meetingId));
    return ok({ left: true });
  }

  @Roles('attendee')
  @SubscribeMessage('input.submit')
  async submit(
    @CurrentActor() actor: Actor,
    @MessageBody() dto: SubmitInputDto,
  ): Promise<Ack<InputSubmitResult>> {
    return ok(await this.live.submitInput(actor, dto));
  }
}
