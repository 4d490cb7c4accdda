import { Injectable } from '@nestjs/common';
import {
  type Actor,
  AuditService,
  conflict,
  Db,
  DomainException,
  forbidden,
  NotificationService,
  notFound,
} from '@liexi/platform';
import type { DraftReplyDto, EvaluateDto, SendReplyDto } from './handling.dto';
import { TaskCooperationOpinionEntity, TaskReplyReviewEntity } from './supervision.entity';
import { TaskAccessService } from './task-access.service';
import { TaskItemEntity } from './task-item.entity';
import type { TaskItemView } from './task-item.view';
import { TaskFigureFacts } from './task-figure-facts';
import { TaskEvaluationEntity, TaskProposerEntity, TaskReplyEntity } from './task-links.entity';
import { TaskNoticesService } from './task-notices.service';
import { TaskQueriesService } from './task-queries.service';
import { TaskWriter } from './task-writer';
import { allowedTaskActions, replyLevel, TASK_ACTION_ROLES } from './task-workflow';

/**
 * 答复 and 分级审核: the lead unit drafts the reply, its head signs, the government office
 * reviews, the leader approves (not while a cooperating opinion is outstanding); any level may
 * send it back; the secretariat sends it; the proposers rate it (满意度评价), and an unsatisfied
 * rating reopens the item for second handling.
 */
@Injectable()
export class ReplyApprovalService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly access: TaskAccessService,
    private readonly queries: TaskQueriesService,
    private readonly writer: TaskWriter,
    private readonly notifications: NotificationService,
    private readonly notices: TaskNoticesService,
    private readonly facts: TaskFigureFacts,
  ) {}

  async draftReply(actor: Actor, id: string, dto: DraftReplyDto): Promise<TaskItemView> {
    await this.access.step(actor, id, 'draft_reply', async (item) => {
      await this.db.manager.insert(TaskReplyEntity, {
        taskItemId: id,
        round: item.reopenCount + 1,
        body: dto.body,
        draftedBy: actor.accountId,
      });
      return {};
    });
    return this.queries.get(actor, id);
  }

  /** 分级审核, level 1: the head (一把手) of the lead unit signs. */
  async signReply(actor: Actor, id: string, comment?: string): Promise<TaskItemView> {
    await this.access.step(actor, id, 'sign_reply', async (item) => {
      await this.review(actor, item, 'sign', 'passed', comment);
      return {};
    });
    return this.queries.get(actor, id);
  }

  /** Level 2: the government office (secretariat) reviews. */
  async reviewReply(actor: Actor, id: string, comment?: string): Promise<TaskItemView> {
    await this.access.step(actor, id, 'review_reply', async (item) => {
      await this.review(actor, item, 'review', 'passed', comment);
      return {};
    });
    return this.queries.get(actor, id);
  }

  /** Level 3: the leader approves — not while a cooperating unit's opinion is outstanding. */
  async approveReply(actor: Actor, id: string, comment?: string): Promise<TaskItemView> {
    await this.access.step(actor, id, 'approve_reply', async (item) => {
      const outstanding = await this.db.manager
        .createQueryBuilder(TaskCooperationOpinionEntity, 'o')
        .where('o.task_item_id = :id AND o.submitted_at IS NULL AND o.waived_at IS NULL', { id })
        .getMany();
      if (outstanding.length > 0) {
        throw conflict(
          `cooperating units have not sent their opinions: ${outstanding.map((o) => o.unitId).join(', ')} (the secretariat may waive them)`,
        );
      }
      const reply = await this.review(actor, item, 'approve', 'passed', comment);
      await this.db.manager.update(
        TaskReplyEntity,
        { id: reply.id },
        { approvedBy: actor.accountId, approvedAt: new Date() },
      );
      return {};
    });
    return this.queries.get(actor, id);
  }

  /** Any level sends the draft back to drafting with a comment; the draft stays on record. */
  async sendBackReply(actor: Actor, id: string, comment: string): Promise<TaskItemView> {
    await this.access.step(actor, id, 'send_back_reply', async (item) => {
      const level = replyLevel(item.state);
      if (!level) this.writer.invalidTransition(item, 'send_back_reply');
      await this.review(actor, item, level.level, 'sent_back', comment);
      return {};
    });
    return this.queries.get(actor, id);
  }

  /** Sent to the proposer(s); when marked public, published (政务公开). */
  async sendReply(actor: Actor, id: string, dto: SendReplyDto = {}): Promise<TaskItemView> {
    await this.access.step(actor, id, 'send_reply', async (item) => {
      const reply = await this.latestReply(item);
      await this.db.manager.update(TaskReplyEntity, { id: reply.id }, { sentAt: new Date() });
      const proposers = await this.db.manager.find(TaskProposerEntity, { where: { taskItemId: id } });
      for (const p of proposers) {
        await this.notifications.enqueue({
          channel: 'inbox',
          recipientType: 'participant',
          recipientId: p.participantId,
          topic: 'task.replied',
          text: {
            zh: `您提出的问题已答复，请评价：${reply.body}`,
            en: `Your matter has been answered; please rate the reply: ${reply.body}`,
          },
          dedupeKey: `task.replied:${reply.id}:${p.participantId}`,
        });
      }
      return dto.public ? { publishedAt: new Date() } : {};
    });
    return this.queries.get(actor, id);
  }

  /**
   * A proposer rates the reply (each round kept, so first-time satisfaction stays derivable).
   * Unsatisfied → reopened for second handling, waiting for the secretariat to set a new
   * deadline (`deadlinePending`); once every proposer has rated and none is unsatisfied → evaluated.
   */
  async evaluate(actor: Actor, id: string, dto: EvaluateDto): Promise<TaskItemView> {
    await this.db.transaction(async () => {
      const item = await this.db.manager.findOne(TaskItemEntity, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!item) throw notFound('task item', id);
      if (!TASK_ACTION_ROLES.evaluate.includes(actor.role))
        throw forbidden(`role ${actor.role} may not evaluate`);
      const proposers = await this.db.manager.find(TaskProposerEntity, { where: { taskItemId: id } });
      const rater = proposers.find((p) => p.participantId === actor.participantId);
      if (!rater) throw forbidden('only the proposers rate the reply');
      // An anonymous proposer's rating and what it triggers are audited without an actor: the
      // audit log must not link their account to the item.
      const auditActor = rater.anonymous ? null : actor;
      if (item.state !== 'replied') this.writer.invalidTransition(item, 'evaluate');
      const round = item.reopenCount + 1;
      const res = await this.db.query(
        `INSERT INTO task_evaluation (task_item_id, participant_id, round, rating, comment)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id`,
        [id, actor.participantId, round, dto.rating, dto.comment ?? null],
      );
      if (res.length === 0) throw conflict('you have already rated this reply');
      await this.audit.record(auditActor, {
        action: 'task.rated',
        entityType: 'task_item',
        entityId: id,
        after: { round, rating: dto.rating, comment: dto.comment ?? null },
      });
      if (dto.rating === 'unsatisfied') {
        await this.writer.move(auditActor, item, 'reopen', {
          reopenCount: item.reopenCount + 1,
          deadlinePending: true,
        });
        await this.notices.notifySupervision(
          item,
          'task.reopened',
          {
            zh: `事项“${item.problem}”提出人不满意，已转二次办理，请重新确定办理时限。`,
            en: `A proposer is unsatisfied with “${item.problem}”: second handling; please set a new deadline.`,
          },
          `task.reopened:${item.id}:${round}`,
        );
        return;
      }
      const rated = await this.db.manager.count(TaskEvaluationEntity, { where: { taskItemId: id, round } });
      if (rated >= proposers.length) await this.writer.move(auditActor, item, 'evaluate', {});
      // A rating that moves nothing still counts in the satisfaction figures.
      else await this.facts.refresh([id]);
    });
    return this.queries.get(actor, id);
  }

  /** One decision on the round's latest draft at one level. */
  private async review(
    actor: Actor,
    item: TaskItemEntity,
    level: 'sign' | 'review' | 'approve',
    decision: 'passed' | 'sent_back',
    comment: string | undefined,
  ): Promise<TaskReplyEntity> {
    const reply = await this.latestReply(item);
    await this.db.manager.insert(TaskReplyReviewEntity, {
      replyId: reply.id,
      taskItemId: item.id,
      level,
      decision,
      comment: comment ?? null,
      actorId: actor.accountId,
    });
    return reply;
  }

  private async latestReply(item: TaskItemEntity): Promise<TaskReplyEntity> {
    const reply = await this.db.manager.findOne(TaskReplyEntity, {
      where: { taskItemId: item.id, round: item.reopenCount + 1 },
      order: { createdAt: 'DESC' },
    });
    if (!reply)
      throw new DomainException('INVALID_TRANSITION', 'there is no reply draft', {
        allowed: allowedTaskActions(item.state),
      });
    return reply;
  }
}
