import { randomInt } from 'node:crypto';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  type PollTally,
  type PollView,
  SATISFACTION_CHOICES,
  type SeqResult,
  TALLY_INTERVAL_MS,
} from '@liexi/contracts';
import { DirectoryService } from '@liexi/directory';
import { MeetingsService } from '@liexi/meetings';
import {
  type Actor,
  AuditService,
  DomainException,
  EventLogService,
  invalid,
  meetingStream,
  notFound,
  Db,
} from '@liexi/platform';
import { AppraisalResultsService } from './appraisal-results.service';
import type { OpenPollDto } from './live.dto';
import { PollEntity, PollVoterEntity } from './poll.entity';
import { Coalescer } from './tally-coalescer';

/** The advisory-lock class of tally writers (the key's second half is the poll's hashtext). */
const TALLY_LOCK = 0x7a11;
/** How soon a node that found another writing a tally looks again (then waits out its interval). */
const PEN_HELD_RETRY_MS = 50;

/** Fisher–Yates with a cryptographic source: the order ballots are rewritten in at close. */
function shuffle<T>(items: T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/**
 * 表决 and 满意度测评 held live. One vote per attendee checked in to the meeting; the one-vote
 * rule lives in `poll_voter`, the choice in `poll_ballot` (no voter, no time). Tallies are
 * computed from the ballots and pushed coalesced: at most one `poll.tally` per poll per
 * TALLY_INTERVAL_MS across all nodes (one elected writer, `writeTally`), in one monotonic
 * sequence; the exact final tally comes with `poll.closed`.
 */
@Injectable()
export class PollsService implements OnModuleDestroy {
  private readonly logger = new Logger('Polls');
  private readonly tallies = new Coalescer(
    TALLY_INTERVAL_MS,
    (pollId) => this.flushTally(pollId),
    undefined,
    (pollId, err) => this.logger.error(`tally of poll ${pollId} failed: ${String(err)}`),
  );

  private tallyChain: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly events: EventLogService,
    private readonly meetings: MeetingsService,
    private readonly directory: DirectoryService,
    private readonly appraisals: AppraisalResultsService,
  ) {}

  async onModuleDestroy(): Promise<void> {
    this.tallies.cancelAll();
    await this.tallyChain;
  }

  async open(actor: Actor, dto: OpenPollDto): Promise<SeqResult & { pollId: string }> {
    const choices = dto.kind === 'satisfaction' ? [...SATISFACTION_CHOICES] : dto.choices;
    if (!choices) throw invalid('a poll needs choices', { choices: ['required'] });
    if (dto.targetUnitId) await this.directory.requireUnits([dto.targetUnitId], 'targetUnitId');
    const opened = await this.db.transaction(async () => {
      const meeting = await this.meetings.requireSteward(actor, dto.meetingId);
      if (meeting.status !== 'in_session')
        throw new DomainException('SESSION_CLOSED', `the meeting is ${meeting.status}`);
      const poll = await this.db.manager.save(
        this.db.manager.create(PollEntity, {
          meetingId: dto.meetingId,
          kind: dto.kind,
          question: dto.question,
          choices,
          targetUnitId: dto.targetUnitId ?? null,
          state: 'open',
        }),
      );
      const view = await this.view(poll);
      const event = await this.events.append(meetingStream(poll.meetingId), 'poll.opened', view);
      await this.audit.record(actor, {
        action: 'poll.opened',
        entityType: 'poll',
        entityId: poll.id,
        after: { ...view, seq: event.seq },
      });
      return { pollId: poll.id, seq: event.seq };
    });
    return opened;
  }

  /** A vote was committed: the poll's tally follows, coalesced. */
  touchTally(pollId: string): void {
    this.tallies.touch(pollId);
  }

  /**
   * `poll.close`: the exact final tally comes with `poll.closed`. For secret and satisfaction
   * polls every link from a voter to a ballot is then removed in the same transaction: voter
   * rows lose their clientKey and receipt, and both tables' rows of this poll are rewritten
   * in random order, so row order and the inserting transaction (xmin) tell nothing either.
   */
  async close(actor: Actor, pollId: string): Promise<SeqResult & PollTally> {
    const result = await this.db.transaction(async () => {
      const poll = await this.db.manager.findOne(PollEntity, {
        where: { id: pollId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!poll) throw notFound('poll', pollId);
      await this.meetings.requireSteward(actor, poll.meetingId);
      if (poll.state !== 'open')
        throw new DomainException('INVALID_TRANSITION', 'the poll is already closed', { allowed: [] });
      await this.db.manager.update(PollEntity, { id: poll.id }, { state: 'closed', closedAt: new Date() });
      if (poll.kind !== 'named') await this.unlink(poll.id);
      const tally = await this.tally({ ...poll, state: 'closed' });
      await this.appraisals.record(poll, tally); // 评议结果 of a satisfaction poll on a unit: counts only
      const event = await this.events.append(meetingStream(poll.meetingId), 'poll.closed', tally);
      await this.audit.record(actor, {
        action: 'poll.closed',
        entityType: 'poll',
        entityId: poll.id,
        before: { state: 'open' },
        after: { ...tally, seq: event.seq },
      });
      return { ...tally, seq: event.seq };
    });
    this.tallies.cancel(pollId);
    return result;
  }

  /** Open polls of a meeting with their current tallies (for the join snapshot). */
  async openPolls(meetingId: string): Promise<PollView[]> {
    const polls = await this.db.manager.find(PollEntity, {
      where: { meetingId, state: 'open' },
      order: { openedAt: 'ASC' },
    });
    const views: PollView[] = [];
    for (const p of polls) views.push(await this.view(p));
    return views;
  }

  /** Counts per choice from the ballots, turnout from the voters and today's attendance. */
  async tally(poll: PollEntity): Promise<PollTally> {
    const rows: { choice: string; n: string }[] = await this.db.manager.query(
      'SELECT choice, count(*) AS n FROM poll_ballot WHERE poll_id = $1 GROUP BY choice',
      [poll.id],
    );
    const counts: Record<string, number> = Object.fromEntries(poll.choices.map((c) => [c, 0]));
    for (const r of rows) counts[r.choice] = Number(r.n);
    const voted = await this.db.manager.count(PollVoterEntity, { where: { pollId: poll.id } });
    const { present } = await this.meetings.attendance(poll.meetingId);
    return { pollId: poll.id, counts, voted, entitled: present };
  }

  private async view(poll: PollEntity): Promise<PollView> {
    return {
      ...(await this.tally(poll)),
      meetingId: poll.meetingId,
      kind: poll.kind,
      question: poll.question,
      choices: poll.choices,
      targetUnitId: poll.targetUnitId,
      state: poll.state,
    };
  }

  private async unlink(pollId: string): Promise<void> {
    // (TypeORM answers DELETE … RETURNING with [rows, count]: read first, then delete.)
    const voters: { participant_id: string }[] = await this.db.manager.query(
      'SELECT participant_id FROM poll_voter WHERE poll_id = $1',
      [pollId],
    );
    await this.db.manager.query('DELETE FROM poll_voter WHERE poll_id = $1', [pollId]);
    await this.db.manager.query(
      `INSERT INTO poll_voter (poll_id, participant_id, client_key, receipt, choice)
       SELECT $1, p, NULL, NULL, NULL FROM unnest($2::uuid[]) AS p`,
      [pollId, shuffle(voters.map((v) => v.participant_id))],
    );
    const ballots: { choice: string; receipt: string }[] = await this.db.manager.query(
      'SELECT choice, receipt FROM poll_ballot WHERE poll_id = $1',
      [pollId],
    );
    await this.db.manager.query('DELETE FROM poll_ballot WHERE poll_id = $1', [pollId]);
    const mixed = shuffle(ballots);
    await this.db.manager.query(
      `INSERT INTO poll_ballot (poll_id, choice, receipt)
       SELECT $1, c, r FROM unnest($2::text[], $3::text[]) AS t(c, r)`,
      [pollId, mixed.map((b) => b.choice), mixed.map((b) => b.receipt)],
    );
  }

  /** One coalesced `poll.tally`, computed from the records; nothing once the poll is closed. */
  private flushTally(pollId: string): Promise<void> {
    const run = this.tallyChain.then(async () => {
      // Another node holds the pen, or wrote one less than an interval ago: look again when
      // that interval ends (or shortly, while the pen is held).
      const outcome = await this.writeTally(pollId);
      if (typeof outcome === 'number') this.tallies.touch(pollId, outcome);
    });
    this.tallyChain = run.catch(() => undefined);
    return run;
  }

  /**
   * One elected writer per poll across nodes: the poll's transaction-scoped advisory lock (not
   * waited for: a node that does not get it tries again PEN_HELD_RETRY_MS later, and a node that
   * finds the last tally less than an interval old tries again when the interval ends — the
   * number of ms returned). The winner computes
   * the tally after taking the lock, so it sees every vote committed before, and publishes it
   * through the event log unless nothing changed since the last one (`poll_tally`) — turnout
   * never goes back, and two nodes do not push two tallies for one interval.
   */
  private writeTally(pollId: string): Promise<'written' | 'unchanged' | 'closed' | number> {
    return this.db.detached(() =>
      this.db.transaction(async () => {
        const [lock] = await this.db.query<{ won: boolean }>(
          'SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS won',
          [TALLY_LOCK, pollId],
        );
        if (!lock?.won) return PEN_HELD_RETRY_MS;
        const poll = await this.db.manager
          .createQueryBuilder(PollEntity, 'p')
          .setLock('pessimistic_read')
          .where('p.id = :id', { id: pollId })
          .getOne();
        if (!poll || poll.state !== 'open') return 'closed';
        // The database's clock, not the nodes' (they may differ).
        const [last] = await this.db.query<{ voted: number; entitled: number; wait: number }>(
          `SELECT voted, entitled,
                  ceil($2::float8 - extract(epoch FROM clock_timestamp() - tallied_at) * 1000)::int AS wait
             FROM poll_tally WHERE poll_id = $1`,
          [pollId, TALLY_INTERVAL_MS],
        );
        const tally = await this.tally(poll);
        if (last && last.voted === tally.voted && last.entitled === tally.entitled) return 'unchanged';
        if (last && last.wait > 0) return last.wait;
        await this.events.append(meetingStream(poll.meetingId), 'poll.tally', tally);
        await this.db.query(
          `INSERT INTO poll_tally (poll_id, voted, entitled, tallied_at) VALUES ($1, $2, $3, clock_timestamp())
           ON CONFLICT (poll_id) DO UPDATE SET voted = $2, entitled = $3, tallied_at = clock_timestamp()`,
          [pollId, tally.voted, tally.entitled],
        );
        return 'written';
      }),
    );
  }
}
