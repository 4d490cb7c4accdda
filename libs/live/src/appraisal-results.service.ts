import { Injectable } from '@nestjs/common';
import type { PollTally } from '@liexi/contracts';
import { Clock, Db, JobRunner, keysetPage, mapPage, notFound, type Page } from '@liexi/platform';
import { AppraisalResultEntity } from './appraisal-result.entity';
import type { PollEntity } from './poll.entity';

/** The job the handling context registers: apply the appraisal rule to a new result. */
export const APPRAISAL_RESULT_JOB = 'appraisal.result_recorded';

export interface AppraisalResultView {
  id: string;
  pollId: string;
  meetingId: string;
  unitId: string;
  question: string;
  counts: { satisfied: number; basicallySatisfied: number; unsatisfied: number };
  voted: number;
  entitled: number;
  /** (satisfied + basically satisfied) ÷ votes; null without votes. */
  satisfactionRate: number | null;
  unsatisfiedShare: number | null;
  closedAt: string;
}

export interface AppraisalFilter {
  unitId?: string;
  meetingId?: string;
  from?: Date;
  to?: Date;
}

const ratio = (n: number, d: number): number | null => (d > 0 ? Math.round((n / d) * 10000) / 10000 : null);

export function appraisalView(r: AppraisalResultEntity): AppraisalResultView {
  const votes = r.satisfied + r.basicallySatisfied + r.unsatisfied;
  return {
    id: r.id,
    pollId: r.pollId,
    meetingId: r.meetingId,
    unitId: r.unitId,
    question: r.question,
    counts: { satisfied: r.satisfied, basicallySatisfied: r.basicallySatisfied, unsatisfied: r.unsatisfied },
    voted: r.voted,
    entitled: r.entitled,
    satisfactionRate: ratio(r.satisfied + r.basicallySatisfied, votes),
    unsatisfiedShare: ratio(r.unsatisfied, votes),
    closedAt: r.closedAt.toISOString(),
  };
}

/**
 * 评议结果 (seed 004): a satisfaction poll on a unit, once closed, kept per unit and meeting as
 * counts (never voters), readable per unit, per meeting and over time; recording it schedules
 * the job that applies the appraisal rule (handling).
 */
@Injectable()
export class AppraisalResultsService {
  constructor(
    private readonly db: Db,
    private readonly jobs: JobRunner,
    private readonly clock: Clock,
  ) {}

  /** In the closing transaction of a satisfaction poll with a target unit. */
  async record(poll: PollEntity, tally: PollTally): Promise<void> {
    if (poll.kind !== 'satisfaction' || !poll.targetUnitId) return;
    const closedAt = this.clock.now();
    const rows = await this.db.query<{ id: string }>(
      `INSERT INTO appraisal_result (poll_id, meeting_id, unit_id, question, satisfied, basically_satisfied,
         unsatisfied, voted, entitled, closed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING id`,
      [
        poll.id,
        poll.meetingId,
        poll.targetUnitId,
        poll.question,
        tally.counts.satisfied ?? 0,
        tally.counts.basically_satisfied ?? 0,
        tally.counts.unsatisfied ?? 0,
        tally.voted,
        tally.entitled,
        closedAt,
      ],
    );
    const id = rows[0]?.id;
    if (id)
      await this.jobs.schedule({
        name: APPRAISAL_RESULT_JOB,
        runAt: closedAt,
        key: `appraisal:${id}`,
        payload: { resultId: id },
      });
  }

  async get(id: string): Promise<AppraisalResultView> {
    const r = await this.db.manager.findOne(AppraisalResultEntity, { where: { id } });
    if (!r) throw notFound('appraisal result', id);
    return appraisalView(r);
  }

  /** Newest first (keyset on closed time and id). */
  async list(filter: AppraisalFilter, limit: number, cursor?: string): Promise<Page<AppraisalResultView>> {
    const qb = this.db.manager.createQueryBuilder(AppraisalResultEntity, 'a');
    if (filter.unitId) qb.andWhere('a.unit_id = :unitId', { unitId: filter.unitId });
    if (filter.meetingId) qb.andWhere('a.meeting_id = :meetingId', { meetingId: filter.meetingId });
    if (filter.from) qb.andWhere('a.closed_at >= :from', { from: filter.from });
    if (filter.to) qb.andWhere('a.closed_at < :to', { to: filter.to });
    const order = { column: 'a.closed_at', type: 'timestamptz', id: 'a.id', direction: 'DESC' } as const;
    return mapPage(await keysetPage(qb, order, { limit, cursor }), appraisalView);
  }

  /** Votes per unit over a period (rankings count them): satisfied, basically, unsatisfied. */
  async totalsByUnit(
    filter: AppraisalFilter,
  ): Promise<Map<string, { satisfied: number; basic: number; unsatisfied: number }>> {
    const rows = await this.db.query<{ unit_id: string; s: string; b: string; u: string }>(
      `SELECT unit_id, sum(satisfied) AS s, sum(basically_satisfied) AS b, sum(unsatisfied) AS u
       FROM appraisal_result
       WHERE ($1::timestamptz IS NULL OR closed_at >= $1) AND ($2::timestamptz IS NULL OR closed_at < $2)
         AND ($3::uuid IS NULL OR meeting_id = $3) AND ($4::uuid IS NULL OR unit_id = $4)
       GROUP BY unit_id`,
      [filter.from ?? null, filter.to ?? null, filter.meetingId ?? null, filter.unitId ?? null],
    );
    return new Map(
      rows.map((r) => [r.unit_id, { satisfied: Number(r.s), basic: Number(r.b), unsatisfied: Number(r.u) }]),
    );
  }
}
