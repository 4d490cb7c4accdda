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
  type ClientToServerEvents,
  type InputSubmitResult,
  type JoinResult,
  LIVE_NAMESPACE,
  MAX_FRAME_BYTES,
  type MeetingStatus,
  type PollTally,
  type SeqResult,
  type ServerToClientEvents,
} from '@liexi/contracts';
import {
  CosignInputDto,
  JoinMeetingDto,
  LeaveMeetingDto,
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
} from '@liexi/live';
import { AgendaProgressService, MeetingsService } from '@liexi/meetings';
import {
  AccessGuard,
  type Actor,
  APP_CONFIG,
  type AppConfig,
  createValidationPipe,
  CurrentActor,
  EventLogService,
  ExceptionsFilter,
  meetingStream,
  Roles,
  socketAuth,
  TokenService,
} from '@liexi/platform';
import type { Subscription } from 'rxjs';
import type { Namespace, Socket } from 'socket.io';
import { LiveRateLimitGuard } from './live-rate-limit.guard';

type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents>;
const ok = <T>(data: T): Ack<T> => ({ ok: true, data });
const EVERYONE = ['secretariat', 'leader', 'supervisor', 'unit_handler', 'attendee'] as const;
/** The secretariat and the chair (a leader) run the session from the console. */
const CHAIR = ['secretariat', 'leader'] as const;

/**
 * The live edge (`/live`). Authentication happens in the handshake: a socket without a valid
 * token never connects. Every event is role-checked, validated, and answered through its ack.
 */
@WebSocketGateway({
  namespace: LIVE_NAMESPACE,
  cors: { origin: true, credentials: true },
  // A larger frame makes socket.io close the connection before any handler runs: nothing is stored.
  maxHttpBufferSize: MAX_FRAME_BYTES,
})
@UseGuards(AccessGuard, LiveRateLimitGuard)
@UseFilters(ExceptionsFilter)
@UsePipes(createValidationPipe())
export class LiveGateway implements OnGatewayInit, OnModuleDestroy {
  private readonly logger = new Logger('LiveGateway');
  private subscription?: Subscription;

  constructor(
    private readonly live: LiveService,
    private readonly speakers: SpeakersService,
    private readonly polls: PollsService,
    private readonly meetings: MeetingsService,
    private readonly agenda: AgendaProgressService,
    private readonly tokens: TokenService,
    private readonly events: EventLogService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  afterInit(server: Namespace): void {
    server.use(socketAuth(this.tokens, this.config));
    // Only committed events, in seq order per meeting, reach the rooms.
    this.subscription = this.events.published.subscribe(({ stream, event }) => {
      if (!stream.startsWith('meeting:')) return;
      server
        .to(stream)
        .emit('meeting.events', { meetingId: stream.slice('meeting:'.length), events: [event] });
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
    this.logger.log('live gateway stopped');
  }

  @Roles(...EVERYONE)
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

  @Roles(...EVERYONE)
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

  @Roles('attendee')
  @SubscribeMessage('input.cosign')
  async cosign(@CurrentActor() actor: Actor, @MessageBody() dto: CosignInputDto): Promise<Ack<SeqResult>> {
    return ok(await this.live.cosign(actor, dto));
  }

  @Roles('attendee')
  @SubscribeMessage('speaker.request')
  async requestSpeaker(
    @CurrentActor() actor: Actor,
    @MessageBody() dto: RequestSpeakerDto,
  ): Promise<Ack<SeqResult>> {
    return ok(await this.speakers.request(actor, dto));
  }

  @Roles('attendee')
  @SubscribeMessage('speaker.withdraw')
  async withdrawSpeaker(
    @CurrentActor() actor: Actor,
    @MessageBody() dto: MeetingRefDto,
  ): Promise<Ack<SeqResult>> {
    return ok(await this.speakers.withdraw(actor, dto.meetingId));
  }

  @Roles('attendee')
  @SubscribeMessage('poll.vote')
  async vote(@CurrentActor() actor: Actor, @MessageBody() dto: VoteDto): Promise<Ack<{ receipt: string }>> {
    return ok(await this.polls.vote(actor, dto));
  }

  @Roles(...CHAIR)
  @SubscribeMessage('speaker.next')
  async nextSpeaker(
    @CurrentActor() actor: Actor,
    @MessageBody() dto: MeetingRefDto,
  ): Promise<Ack<SeqResult>> {
    return ok(await this.speakers.next(actor, dto.meetingId));
  }

  @Roles(...CHAIR)
  @SubscribeMessage('agenda.advance')
  async advance(
    @CurrentActor() actor: Actor,
    @MessageBody() dto: MeetingRefDto,
  ): Promise<Ack<SeqResult & { currentAgendaItemId: string | null }>> {
    return ok(await this.agenda.advance(actor, dto.meetingId));
  }

  @Roles(...CHAIR)
  @SubscribeMessage('poll.open')
  async openPoll(
    @CurrentActor() actor: Actor,
    @MessageBody() dto: OpenPollDto,
  ): Promise<Ack<SeqResult & { pollId: string }>> {
    return ok(await this.polls.open(actor, dto));
  }

  @Roles(...CHAIR)
  @SubscribeMessage('poll.close')
  async closePoll(
    @CurrentActor() actor: Actor,
    @MessageBody() dto: PollRefDto,
  ): Promise<Ack<SeqResult & PollTally>> {
    return ok(await this.polls.close(actor, dto.pollId));
  }

  @Roles(...CHAIR)
  @SubscribeMessage('input.moderate')
  async moderate(
    @CurrentActor() actor: Actor,
    @MessageBody() dto: ModerateInputDto,
  ): Promise<Ack<SeqResult>> {
    return ok(await this.live.moderate(actor, dto));
  }

  @Roles('secretariat')
  @SubscribeMessage('meeting.open')
  async open(
    @CurrentActor() actor: Actor,
    @MessageBody() dto: MeetingRefDto,
  ): Promise<Ack<{ status: MeetingStatus }>> {
    return ok({ status: (await this.meetings.transition(actor, dto.meetingId, 'open')).status });
  }

  @Roles('secretariat')
  @SubscribeMessage('meeting.adjourn')
  async adjourn(
    @CurrentActor() actor: Actor,
    @MessageBody() dto: MeetingRefDto,
  ): Promise<Ack<{ status: MeetingStatus }>> {
    return ok({ status: (await this.meetings.transition(actor, dto.meetingId, 'adjourn')).status });
  }
}
