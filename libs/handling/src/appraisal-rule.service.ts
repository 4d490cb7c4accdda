import { Injectable, type OnModuleInit } from '@nestjs/common';
import { APPRAISAL_RESULT_JOB, type AppraisalResultView, AppraisalResultsService } from '@liexi/live';
import { type Actor, AuditService, Db, JobRunner } from '@liexi/platform';
import { AppraisalRuleEntity, TaskAppraisalSourceEntity } from './appraisal-rule.entity';
import type { AppraisalRuleDto } from './task-extras.dto';
import { TaskCommandsService } from './task-commands.service';

export interface AppraisalRuleView {
  kind: 'unsatisfied_share_above' | 'majority_unsatisfied';
  threshold: number;
  urgency: 'immediate' | 'long_term';
  deadlineWorkingDays: number;
  /** How the rule reads, in both languages. */
  description: { zh: string; en: string };
}

/** Seed 004: any unsatisfied vote is followed up at once (立行立改, 10 working days). */
const DEFAULT_RULE = {
  kind: 'unsatisfied_share_above' as const,
  threshold: 0,
  urgency: 'immediate' as const,
  deadlineWorkingDays: 10,
};

/** The rule acts as the system: its audit rows carry this id (no account), histories show no one. */
export const SYSTEM_ACTOR: Actor = {
  accountId: '00000000-0000-0000-0000-000000000000',
  username: 'system',
  role: 'secretariat',
  unitId: null,
  participantId: null,
};

function describe(r: Omit<AppraisalRuleView, 'description'>): { zh: string; en: string } {
  const what =
    r.kind === 'majority_unsatisfied'
      ? { zh: '不满意票超过半数', en: 'more than half of the votes are unsatisfied' }
      : r.threshold === 0
        ? { zh: '有不满意票', en: 'any vote is unsatisfied' }
        : {
            zh: `不满意票占比超过 ${(r.threshold * 100).toFixed(1)}%`,
            en: `the unsatisfied share exceeds ${(r.threshold * 100).toFixed(1)} %`,
          };
  const how =
    r.urgency === 'immediate'
      ? { zh: '立行立改', en: 'immediate rectification' }
      : { zh: '长期整改', en: 'long-term rectification' };
  return {
    zh: `${what.zh}时，为被评议单位生成${how.zh}事项，时限 ${r.deadlineWorkingDays} 个工作日；销号后回头看。`,
    en: `When ${what.en}, a ${how.en} item is created for the unit, due in ${r.deadlineWorkingDays} working days; re-inspected after close-out.`,
  };
}

/**
 * The configurable appraisal rule: a recorded appraisal result (live) schedules a job; the job
 * applies the rule and, when the result is unsatisfactory, creates and assigns a rectification
 * item for the unit (立行立改 or 长期整改, with its deadline). Its close-out schedules 回头看 like
 * every item. One item per result (`task_appraisal_source`), however often the job runs.
 */
@Injectable()
export class AppraisalRuleService implements OnModuleInit {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly jobs: JobRunner,
    private readonly results: AppraisalResultsService,
    private readonly commands: TaskCommandsService,
  ) {}

  onModuleInit(): void {
    this.jobs.register(APPRAISAL_RESULT_JOB, (payload) =>
      this.apply(String(payload.resultId)).then(() => undefined),
    );
  }

  async rule(): Promise<AppraisalRuleView> {
    const row = await this.db.manager.findOne(AppraisalRuleEntity, { where: { id: 1 } });
    const r = row
      ? {
          kind: row.kind,
          threshold: Number(row.threshold),
          urgency: row.urgency,
          deadlineWorkingDays: row.deadlineWorkingDays,
        }
      : DEFAULT_RULE;
    return { ...r, description: describe(r) };
  }

  async setRule(actor: Actor, dto: AppraisalRuleDto): Promise<AppraisalRuleView> {
    return this.db.transaction(async () => {
      const before = await this.rule();
      const row = {
        id: 1,
        kind: dto.kind,
        threshold: String(dto.threshold ?? 0),
        urgency: dto.urgency,
        deadlineWorkingDays: dto.deadlineWorkingDays,
        updatedBy: actor.accountId,
      };
      await this.db.manager.upsert(AppraisalRuleEntity, row, ['id']);
      const after = await this.rule();
      await this.audit.record(actor, {
        action: 'appraisal_rule.set',
        entityType: 'appraisal_rule',
        entityId: '00000000-0000-0000-0000-000000000001',
        before,
        after,
      });
      return after;
    });
  }

  /** Whether a result calls for rectification under `rule`. */
  static triggers(rule: Omit<AppraisalRuleView, 'description'>, r: AppraisalResultView): boolean {
    const votes = r.counts.satisfied + r.counts.basicallySatisfied + r.counts.unsatisfied;
    if (votes === 0 || r.counts.unsatisfied === 0) return false;
    return rule.kind === 'majority_unsatisfied'
      ? r.counts.unsatisfied * 2 > votes
      : r.counts.unsatisfied / votes > rule.threshold;
  }

  /** The job (in its transaction): the rectification item for an unsatisfactory result, once. Returns its id. */
  async apply(resultId: string): Promise<string | null> {
    const result = await this.results.get(resultId);
    const rule = await this.rule();
    if (!AppraisalRuleService.triggers(rule, result)) return null;
    const done = await this.db.manager.findOne(TaskAppraisalSourceEntity, {
      where: { appraisalResultId: resultId },
    });
    if (done) return done.taskItemId;
    const votes = result.counts.satisfied + result.counts.basicallySatisfied + result.counts.unsatisfied;
    const how = rule.urgency === 'immediate' ? '立行立改' : '长期整改';
    const item = await this.commands.create(SYSTEM_ACTOR, {
      meetingId: result.meetingId,
      problem: `【评议整改】${result.question}：满意度测评不满意 ${result.counts.unsatisfied} 票（共 ${votes} 票）`,
      leadUnitId: result.unitId,
      measure: `针对评议意见制定整改方案并${how}`,
      deadlineWorkingDays: rule.deadlineWorkingDays,
      closeOutStandard: '整改措施落实到位，经回头看确认',
      taskClass: 'A',
      urgency: rule.urgency,
      assign: true,
    });
    await this.db.manager.insert(TaskAppraisalSourceEntity, {
      appraisalResultId: resultId,
      taskItemId: item.id,
    });
    return item.id;
  }

  /** The rectification item of a result, if any. */
  async itemOf(resultId: string): Promise<string | null> {
    const row = await this.db.manager.findOne(TaskAppraisalSourceEntity, {
      where: { appraisalResultId: resultId },
    });
    return row?.taskItemId ?? null;
  }
}
