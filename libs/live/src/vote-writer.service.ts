import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { MeetingsService } from '@liexi/meetings';
import {
  type Actor,
  APP_CONFIG,
  type AppConfig,
  conflict,
  Db,
  DomainException,
  invalid,
  notFound,
} from '@liexi/platform';
import { GroupCommit, type Outcome } from './group-commit';
import { fail, liveBatch, ok } from './live-batch';
import type { VoteDto } from './live.dto';
import { PollEntity } from './poll.entity';
import { PollsService } from './polls.service';

interface Vote {
  actor: Actor;
  dto: VoteDto;
  poll: PollFacts;
}
/** Batches of one poll's votes written at once. */
const VOTE_LANES = 4;
type PollFacts = Pick<PollEntity, 'id' | 'meetingId' | 'kind' | 'choices'>;

/**
 * `poll.vote` by group commit: the votes of a plenary arrive within a second, so they are
 * written in batches — one statement inserts the voter rows (the one-vote rule) and the ballots
 * of the new ones, with the poll share-locked so that a close waits for the votes in flight
 * and later votes see it closed — then each voter gets its receipt after the commit. A retry
 * with the same clientKey, or the same choice again, gets the first receipt; another choice is
 * a CONFLICT. The tally follows, coalesced.
 */
@Injectable()
export class VoteWriter {
  private readonly votes: GroupCommit<Vote, { receipt: string }>;
  /**
   * What never changes about a poll (meeting, kind, choices): read once per poll. The promise
   * is kept, so the thousands of votes that arrive before the first read returns share it.
   */
  private readonly facts = new Map<string, Promise<PollFacts>>();

  constructor(
    private readonly db: Db,
    private readonly meetings: MeetingsService,
    private readonly polls: PollsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.votes = new GroupCommit(
      liveBatch<Vote, { receipt: string }>(
        config,
        db,
        // Votes of one poll take no lock from each other (a share lock on the poll, one voter
        // row each): a poll's votes are written in VOTE_LANES batches at once, by voter.
        (v) => `${v.dto.pollId}:${parseInt(v.actor.participantId?.slice(-2) ?? '0', 16) % VOTE_LANES}`,
        (items) => this.write(items),
      ),
    );
  }

  async vote(actor: Actor, dto: VoteDto): Promise<{ receipt: string }> {
    const poll = await this.pollFacts(dto.pollId);
    if (!poll.choices.includes(dto.choice))
      throw invalid(`"${dto.choice}" is not a choice of this poll`, {
        choice: [`must be one of ${poll.choices.join(', ')}`],
      });
    return this.votes.submit({ actor, dto, poll });
  }

  get figures(): GroupCommit<Vote, { receipt: string }>['figures'] {
    return this.votes.figures;
  }

  private pollFacts(pollId: string): Promise<PollFacts> {
    const cached = this.facts.get(pollId);
    if (cached) return cached;
    const read = this.db.manager.findOne(PollEntity, { where: { id: pollId } }).then((poll) => {
      if (!poll) throw notFound('poll', pollId);
      return { id: poll.id, meetingId: poll.meetingId, kind: poll.kind, choices: poll.choices };
    });
    if (this.facts.size >= 1000) this.facts.delete(this.facts.keys().next().value as string);
    this.facts.set(pollId, read);
    // An unknown poll is not remembered (it may be a typo now and exist later).
    read.catch(() => this.facts.get(pollId) === read && this.facts.delete(pollId));
    return read;
  }

  private async write(batch: Vote[]): Promise<Outcome<{ receipt: string }>[]> {
    const out = new Array<Outcome<{ receipt: string }>>(batch.length);
    const facts = batch.map((b) => b.poll);
    const allowed = await this.meetings.contributorErrors(
      batch.map((b, i) => ({
        meetingId: facts[i].meetingId,
        participantId: b.actor.participantId,
      })),
    );
    const first = new Map<string, number>();
    const fresh: number[] = [];
    batch.forEach((b, i) => {
      const refused = allowed[i];
      const voter = `${b.dto.pollId}|${b.actor.participantId}`;
      if (refused) out[i] = fail(refused);
      else if (!first.has(voter)) {
        first.set(voter, i);
        fresh.push(i);
      }
    });
    // One read of the random source for the whole batch: 16 bytes per receipt.
    const random = randomBytes(16 * fresh.length);
    const receipts = fresh.map((_, k) => random.subarray(16 * k, 16 * (k + 1)).toString('base64url'));
    const stored =
      fresh.length === 0
        ? []
        : await this.db.query<{ receipt: string }>(
            `WITH v AS (
               SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[])
                 AS v(poll_id, participant_id, client_key, receipt, named_choice, choice)
             ), open_poll AS (
               SELECT id FROM poll WHERE id IN (SELECT poll_id FROM v) AND state = 'open' ORDER BY id FOR SHARE
             ), voter AS (
               INSERT INTO poll_voter (poll_id, participant_id, client_key, receipt, choice)
               SELECT v.poll_id, v.participant_id, v.client_key, v.receipt, v.named_choice
               FROM v JOIN open_poll o ON o.id = v.poll_id
               ON CONFLICT DO NOTHING RETURNING receipt
             )
             INSERT INTO poll_ballot (poll_id, choice, receipt)
             SELECT v.poll_id, v.choice, v.receipt FROM voter JOIN v USING (receipt) RETURNING receipt`,
            [
              fresh.map((i) => batch[i].dto.pollId),
              fresh.map((i) => batch[i].actor.participantId),
              fresh.map((i) => batch[i].dto.clientKey),
              receipts,
              fresh.map((i) => (facts[i].kind === 'named' ? batch[i].dto.choice : null)),
              fresh.map((i) => batch[i].dto.choice),
            ],
          );
    const ballots = new Set(stored.map((r) => r.receipt));
    const rest: number[] = [];
    fresh.forEach((i, k) => {
      const receipt = receipts[k];
      if (ballots.has(receipt)) out[i] = ok({ receipt });
      else rest.push(i);
    });
    await this.replay(batch, rest, out);
    batch.forEach((b, i) => {
      if (out[i]) return;
      // The same voter twice in one batch: the same rule as a retry after the first.
      const lead = first.get(`${b.dto.pollId}|${b.actor.participantId}`) as number;
      const led = out[lead] as Outcome<{ receipt: string }>;
      const sameVote =
        b.dto.clientKey === batch[lead].dto.clientKey || b.dto.choice === batch[lead].dto.choice;
      out[i] = !led.ok || sameVote ? led : fail(conflict('you have already voted in this poll'));
    });
    const polls = new Set(fresh.filter((i) => out[i]?.ok).map((i) => batch[i].dto.pollId));
    this.db.afterCommit(() => {
      for (const pollId of polls) this.polls.touchTally(pollId);
    });
    return out;
  }

  /** Votes not stored: the poll is closed, or the voter voted before (answer as a retry). */
  private async replay(batch: Vote[], idx: number[], out: Outcome<{ receipt: string }>[]): Promise<void> {
    if (idx.length === 0) return;
    const pollIds = [...new Set(idx.map((i) => batch[i].dto.pollId))];
    const states = await this.db.query<{ id: string; state: string }>(
      'SELECT id, state FROM poll WHERE id = ANY($1::uuid[])',
      [pollIds],
    );
    const open = new Set(states.filter((p) => p.state === 'open').map((p) => p.id));
    const mine = await this.db.query<{
      poll_id: string;
      participant_id: string;
      client_key: string | null;
      receipt: string | null;
      choice: string | null;
    }>(
      `SELECT pv.poll_id, pv.participant_id, pv.client_key, pv.receipt, pb.choice
       FROM poll_voter pv
       JOIN unnest($1::uuid[], $2::uuid[]) AS k(p, v) ON pv.poll_id = k.p AND pv.participant_id = k.v
       LEFT JOIN poll_ballot pb ON pb.receipt = pv.receipt`,
      [idx.map((i) => batch[i].dto.pollId), idx.map((i) => batch[i].actor.participantId)],
    );
    const voted = new Map(mine.map((r) => [`${r.poll_id}|${r.participant_id}`, r]));
    for (const i of idx) {
      const { actor, dto } = batch[i];
      const row = voted.get(`${dto.pollId}|${actor.participantId}`);
      if (!open.has(dto.pollId)) out[i] = fail(new DomainException('SESSION_CLOSED', 'the poll is closed'));
      else if (!row || row.receipt === null)
        out[i] = fail(conflict('this clientKey was used by someone else'));
      else if (row.client_key === dto.clientKey || row.choice === dto.choice)
        out[i] = ok({ receipt: row.receipt });
      else out[i] = fail(conflict('you have already voted in this poll'));
    }
  }
}
