import { Inject, Logger, type OnModuleDestroy } from '@nestjs/common';
import { type OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import {
  type ClientToServerEvents,
  type LiveEvent,
  LIVE_NAMESPACE,
  MAX_FRAME_BYTES,
  PUSH_INTERVAL_MS,
  type ServerToClientEvents,
} from '@liexi/contracts';
import {
  CosignInputDto,
  CosignWriter,
  InputWriter,
  JoinMeetingDto,
  LeaveMeetingDto,
  LiveRateLimiter,
  LiveService,
  MeetingRefDto,
  ModerateInputDto,
  OpenPollDto,
  PollRefDto,
  PollsService,
  RequestSpeakerDto,
  SpeakersService,
  SubmitInputDto,
  VoteDto,
  VoteWriter,
} from '@liexi/live';
import { AgendaProgressService, MeetingsService } from '@liexi/meetings';
import {
  type Actor,
  AccessChanges,
  APP_CONFIG,
  type AppConfig,
  accountRoom,
  DrainState,
  EventLogService,
  meetingStream,
  SocketSessions,
  socketAuth,
  TokenService,
} from '@liexi/platform';
import type { Subscription } from 'rxjs';
import type { Namespace, Socket } from 'socket.io';
import { PushCoalescer } from './push-coalescer';
import { dropSocketsOnAccessChange } from './socket-access';
import { type SocketData, type SocketRoute, type SocketRouteSpec, SocketRouter } from './socket-router';

type LiveSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  never,
  SocketData & { meetings?: Set<string> }
>;
const EVERYONE = ['secretariat', 'leader', 'supervisor', 'unit_handler', 'attendee'] as const;
/**
 * The secretariat and the chair run the session from the console. By role here; by meeting in
 * the services: a leader steers only the meeting whose `chairAccountId` is theirs
 * (MeetingsService.requireSteward).
 */
const CHAIR = ['secretariat', 'leader'] as const;
const ATTENDEE = ['attendee'] as const;

/** Who may send each `/live` event and the body it is validated against; the AsyncAPI document is built from it. */
export const LIVE_ROUTES = {
  'meeting.join': { roles: EVERYONE, dto: JoinMeetingDto },
  'meeting.leave': { roles: EVERYONE, dto: LeaveMeetingDto },
  'input.submit': { roles: ATTENDEE, dto: SubmitInputDto },
  'input.cosign': { roles: ATTENDEE, dto: CosignInputDto },
  'speaker.request': { roles: ATTENDEE, dto: RequestSpeakerDto },
  'speaker.withdraw': { roles: ATTENDEE, dto: MeetingRefDto },
  'poll.vote': { roles: ATTENDEE, dto: VoteDto },
  'speaker.next': { roles: CHAIR, dto: MeetingRefDto },
  'agenda.advance': { roles: CHAIR, dto: MeetingRefDto },
  'poll.open': { roles: CHAIR, dto: OpenPollDto },
  'poll.close': { roles: CHAIR, dto: PollRefDto },
  'input.moderate': { roles: CHAIR, dto: ModerateInputDto },
  'meeting.open': { roles: CHAIR, dto: MeetingRefDto },
  'meeting.adjourn': { roles: CHAIR, dto: MeetingRefDto },
} as const satisfies Record<keyof ClientToServerEvents, SocketRouteSpec>;

/**
 * The live edge (`/live`). Authentication happens in the handshake: a socket without a valid
 * token never connects. Every event goes through one route table (role, rate limit,
 * validation, ack); each handler is one line into a service. Pushes leave per meeting,
 * coalesced, and only after their transaction committed, in seq order.
 */
@WebSocketGateway({
  namespace: LIVE_NAMESPACE,
  // Origins: OriginCheckedIoAdapter (the api's own origin plus LIVE_ORIGINS).
  // A larger frame makes socket.io close the connection before any handler runs: nothing is stored.
  maxHttpBufferSize: MAX_FRAME_BYTES,
})
export class LiveGateway implements OnGatewayInit, OnModuleDestroy {
  private readonly logger = new Logger('LiveGateway');
  private subscription?: Subscription;
  private namespace?: Namespace;
  private accessSubscription?: Subscription;
  private pushes?: PushCoalescer<LiveEvent>;
  readonly router: SocketRouter<LiveSocket>;

  constructor(
    private readonly live: LiveService,
    private readonly inputs: InputWriter,
    private readonly cosigns: CosignWriter,
    private readonly votes: VoteWriter,
    private readonly speakers: SpeakersService,
    private readonly polls: PollsService,
    private readonly meetings: MeetingsService,
    private readonly agenda: AgendaProgressService,
    private readonly tokens: TokenService,
    private readonly events: EventLogService,
    limiter: LiveRateLimiter,
    private readonly access: AccessChanges,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly drainState: DrainState,
    private readonly sessions: SocketSessions,
  ) {
    this.router = new SocketRouter<LiveSocket>(this.routes(), (actor) => limiter.take(actor.accountId));
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

  afterInit(server: Namespace<ClientToServerEvents, ServerToClientEvents>): void {
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
    const pushes = new PushCoalescer<LiveEvent>(PUSH_INTERVAL_MS, (stream, events) =>
      server.local.to(stream).emit('meeting.events', { meetingId: stream.slice('meeting:'.length), events }),
    );
    this.pushes = pushes;
    // Only committed events, in seq order per meeting, reach the rooms.
    this.subscription = this.events.published.subscribe(({ stream, event }) => {
      if (stream.startsWith('meeting:')) pushes.add(stream, event);
    });
    server.on('connection', (socket: LiveSocket) => {
      this.router.attach(socket);
      // Every socket of an account, on any node, can be reached through one room (SocketSessions).
      void socket.join(accountRoom(socket.data.actor.accountId));
      socket.on('disconnect', () => {
        for (const meetingId of socket.data.meetings ?? []) this.events.unfollow(meetingStream(meetingId));
      });
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
    this.accessSubscription?.unsubscribe();
    this.pushes?.stop();
    this.logger.log('live gateway stopped');
  }

  /**
   * The sockets in a meeting's room on every node (the adapter asks them all), and the distinct
   * attendees among them: how many tablets are present, wherever they are connected.
   */
  async presence(meetingId: string): Promise<{ meetingId: string; sockets: number; attendees: number }> {
    const sockets = this.namespace ? await this.namespace.in(meetingStream(meetingId)).fetchSockets() : [];
    const attendees = new Set(
      sockets
        .map((s) => (s.data as SocketData).actor)
        .filter((a) => a.role === 'attendee')
        .map((a) => a.accountId),
    );
    return { meetingId, sockets: sockets.length, attendees: attendees.size };
  }

  private routes(): Record<keyof ClientToServerEvents, SocketRoute<LiveSocket>> {
    const route = <K extends keyof typeof LIVE_ROUTES>(
      event: K,
      handle: (
        actor: Actor,
        body: InstanceType<(typeof LIVE_ROUTES)[K]['dto']>,
        socket: LiveSocket,
      ) => Promise<unknown>,
    ): SocketRoute<LiveSocket> => ({ ...LIVE_ROUTES[event], handle });
    return {
      'meeting.join': route('meeting.join', (a, d, s) => this.join(a, d, s)),
      'meeting.leave': route('meeting.leave', (_a, d, s) => this.leave(d, s)),
      'input.submit': route('input.submit', (a, d) => this.inputs.submit(a, d)),
      'input.cosign': route('input.cosign', (a, d) => this.cosigns.cosign(a, d)),
      'speaker.request': route('speaker.request', (a, d) => this.speakers.request(a, d)),
      'speaker.withdraw': route('speaker.withdraw', (a, d) => this.speakers.withdraw(a, d.meetingId)),
      'poll.vote': route('poll.vote', (a, d) => this.votes.vote(a, d)),
      'speaker.next': route('speaker.next', (a, d) => this.speakers.next(a, d.meetingId)),
      'agenda.advance': route('agenda.advance', (a, d) => this.agenda.advance(a, d.meetingId)),
      'poll.open': route('poll.open', (a, d) => this.polls.open(a, d)),
      'poll.close': route('poll.close', (a, d) => this.polls.close(a, d.pollId)),
      'input.moderate': route('input.moderate', (a, d) => this.live.moderate(a, d)),
      'meeting.open': route('meeting.open', async (a, d) => ({
        status: (await this.meetings.transition(a, d.meetingId, 'open')).status,
      })),
      'meeting.adjourn': route('meeting.adjourn', async (a, d) => ({
        status: (await this.meetings.transition(a, d.meetingId, 'adjourn')).status,
      })),
    };
  }

  private async join(actor: Actor, dto: JoinMeetingDto, socket: LiveSocket): Promise<unknown> {
    const stream = meetingStream(dto.meetingId);
    const result = await this.live.join(
      actor,
      dto.meetingId,
      dto.afterSeq,
      (room) => socket.join(room) ?? Promise.resolve(),
    );
    const followed = (socket.data.meetings ??= new Set());
    if (!followed.has(dto.meetingId)) {
      followed.add(dto.meetingId);
      this.events.follow(stream, result.seq);
    }
    return result;
  }

  private async leave(dto: LeaveMeetingDto, socket: LiveSocket): Promise<{ left: true }> {
    await socket.leave(meetingStream(dto.meetingId));
    if (socket.data.meetings?.delete(dto.meetingId)) this.events.unfollow(meetingStream(dto.meetingId));
    return { left: true };
  }
}
