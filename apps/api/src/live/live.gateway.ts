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
  EventLogService,
  meetingStream,
  socketAuth,
  TokenService,
} from '@liexi/platform';
import type { Subscription } from 'rxjs';
import type { Namespace, Socket } from 'socket.io';
import { PushCoalescer } from './push-coalescer';
import { dropSocketsOnAccessChange } from './socket-access';
import { type SocketData, type SocketRoute, SocketRouter } from './socket-router';

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
  ) {
    this.router = new SocketRouter<LiveSocket>(this.routes(), (actor) => limiter.take(actor.accountId));
  }

  afterInit(server: Namespace<ClientToServerEvents, ServerToClientEvents>): void {
    server.use(socketAuth(this.tokens, this.config));
    this.accessSubscription = dropSocketsOnAccessChange(server, this.access);
    const pushes = new PushCoalescer<LiveEvent>(PUSH_INTERVAL_MS, (stream, events) =>
      server.to(stream).emit('meeting.events', { meetingId: stream.slice('meeting:'.length), events }),
    );
    this.pushes = pushes;
    // Only committed events, in seq order per meeting, reach the rooms.
    this.subscription = this.events.published.subscribe(({ stream, event }) => {
      if (stream.startsWith('meeting:')) pushes.add(stream, event);
    });
    server.on('connection', (socket: LiveSocket) => {
      this.router.attach(socket);
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

  private routes(): Record<keyof ClientToServerEvents, SocketRoute<LiveSocket>> {
    const route = <D extends object>(
      roles: SocketRoute['roles'],
      dto: new () => D,
      handle: (actor: Actor, body: D, socket: LiveSocket) => Promise<unknown>,
    ): SocketRoute<LiveSocket> => ({ roles, dto, handle: handle });
    return {
      'meeting.join': route(EVERYONE, JoinMeetingDto, (a, d, s) => this.join(a, d, s)),
      'meeting.leave': route(EVERYONE, LeaveMeetingDto, (_a, d, s) => this.leave(d, s)),
      'input.submit': route(ATTENDEE, SubmitInputDto, (a, d) => this.inputs.submit(a, d)),
      'input.cosign': route(ATTENDEE, CosignInputDto, (a, d) => this.cosigns.cosign(a, d)),
      'speaker.request': route(ATTENDEE, RequestSpeakerDto, (a, d) => this.speakers.request(a, d)),
      'speaker.withdraw': route(ATTENDEE, MeetingRefDto, (a, d) => this.speakers.withdraw(a, d.meetingId)),
      'poll.vote': route(ATTENDEE, VoteDto, (a, d) => this.votes.vote(a, d)),
      'speaker.next': route(CHAIR, MeetingRefDto, (a, d) => this.speakers.next(a, d.meetingId)),
      'agenda.advance': route(CHAIR, MeetingRefDto, (a, d) => this.agenda.advance(a, d.meetingId)),
      'poll.open': route(CHAIR, OpenPollDto, (a, d) => this.polls.open(a, d)),
      'poll.close': route(CHAIR, PollRefDto, (a, d) => this.polls.close(a, d.pollId)),
      'input.moderate': route(CHAIR, ModerateInputDto, (a, d) => this.live.moderate(a, d)),
      'meeting.open': route(CHAIR, MeetingRefDto, async (a, d) => ({
        status: (await this.meetings.transition(a, d.meetingId, 'open')).status,
      })),
      'meeting.adjourn': route(CHAIR, MeetingRefDto, async (a, d) => ({
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
