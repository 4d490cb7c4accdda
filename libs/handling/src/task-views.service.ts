import { Injectable } from '@nestjs/common';
import { Db } from '@liexi/platform';
import { In } from 'typeorm';
import {
  TaskCooperationOpinionEntity,
  TaskDeadlineChangeEntity,
  TaskProgressReportEntity,
  TaskReinspectionEntity,
  TaskReplyReviewEntity,
} from './supervision.entity';
import type { TaskItemEntity } from './task-item.entity';
import type { TaskItemView } from './task-item.view';
import {
  TaskCooperatingUnitEntity,
  TaskEvaluationEntity,
  TaskProposerEntity,
  TaskReplyEntity,
  TaskSourceInputEntity,
} from './task-links.entity';
import { allowedTaskActions } from './task-workflow';
import { WorkCalendarService } from './work-calendar.service';

/** Builds the full view of items: one query per linked table for the whole batch, never per item. */
@Injectable()
export class TaskViewsService {
  constructor(
    private readonly db: Db,
    private readonly calendar: WorkCalendarService,
  ) {}

  async views(items: TaskItemEntity[]): Promise<TaskItemView[]> {
    if (items.length === 0) return [];
    const ids = items.map((i) => i.id);
    const m = this.db.manager;
    const where = { where: { taskItemId: In(ids) } };
    const [
      coop,
      sources,
      proposers,
      replies,
      reviews,
      evaluations,
      progress,
      opinions,
      changes,
      reinspections,
      calendar,
    ] = await Promise.all([
      m.find(TaskCooperatingUnitEntity, where),
      m.find(TaskSourceInputEntity, where),
      m.find(TaskProposerEntity, where),
      m.find(TaskReplyEntity, { ...where, order: { createdAt: 'ASC' } }),
      m.find(TaskReplyReviewEntity, { ...where, order: { createdAt: 'ASC' } }),
      m.find(TaskEvaluationEntity, { ...where, order: { createdAt: 'ASC' } }),
      m.find(TaskProgressReportEntity, { ...where, order: { createdAt: 'ASC' } }),
      m.find(TaskCooperationOpinionEntity, where),
      m.find(TaskDeadlineChangeEntity, { ...where, order: { createdAt: 'ASC' } }),
      m.find(TaskReinspectionEntity, { ...where, order: { round: 'ASC' } }),
      this.calendar.calendar(),
    ]);
    const today = this.calendar.today();
    return items.map((i) => {
      const mine = proposers.filter((p) => p.taskItemId === i.id);
      return {
        id: i.id,
        meetingId: i.meetingId,
        agendaItemId: i.agendaItemId,
        problem: i.problem,
        leadUnitId: i.leadUnitId,
        cooperatingUnitIds: coop.filter((c) => c.taskItemId === i.id).map((c) => c.unitId),
        responsiblePerson: i.responsiblePerson,
        measure: i.measure,
        deadline: i.deadline,
        deadlinePending: i.deadlinePending,
        light: this.calendar.light(i, calendar, today),
        closeOutStandard: i.closeOutStandard,
        taskClass: i.taskClass,
        classReason: i.classReason,
        urgency: i.urgency,
        state: i.state,
        reopenCount: i.reopenCount,
        returnReason: i.returnReason,
        suggestedUnitId: i.suggestedUnitId,
        closedAt: i.closedAt?.toISOString() ?? null,
        publishedAt: i.publishedAt?.toISOString() ?? null,
        assignedAt: i.assignedAt?.toISOString() ?? null,
        createdAt: i.createdAt.toISOString(),
        sourceInputIds: sources.filter((s) => s.taskItemId === i.id).map((s) => s.inputId),
        proposers: {
          participantIds: mine.filter((p) => !p.anonymous).map((p) => p.participantId),
          anonymousCount: mine.filter((p) => p.anonymous).length,
        },
        replies: replies
          .filter((r) => r.taskItemId === i.id)
          .map((r) => ({
            id: r.id,
            round: r.round,
            body: r.body,
            approved: r.approvedAt !== null,
            sentAt: r.sentAt?.toISOString() ?? null,
            reviews: reviews
              .filter((v) => v.replyId === r.id)
              .map((v) => ({
                level: v.level,
                decision: v.decision,
                comment: v.comment,
                at: v.createdAt.toISOString(),
              })),
          })),
        evaluations: evaluations
          .filter((e) => e.taskItemId === i.id)
          .map((e) => ({
            round: e.round,
            rating: e.rating,
            comment: e.comment,
            at: e.createdAt.toISOString(),
          })),
        progress: progress
          .filter((p) => p.taskItemId === i.id)
          .map((p) => ({
            text: p.text,
            percent: p.percent,
            attachments: p.attachments,
            at: p.createdAt.toISOString(),
          })),
        opinions: opinions
          .filter((o) => o.taskItemId === i.id)
          .map((o) => ({
            unitId: o.unitId,
            dueDate: o.dueDate,
            body: o.body,
            submittedAt: o.submittedAt?.toISOString() ?? null,
            waivedAt: o.waivedAt?.toISOString() ?? null,
            waiveReason: o.waiveReason,
          })),
        deadlineChanges: changes
          .filter((c) => c.taskItemId === i.id)
          .map((c) => ({
            id: c.id,
            kind: c.kind,
            previousDeadline: c.previousDeadline,
            requestedDeadline: c.requestedDeadline,
            reason: c.reason,
            status: c.status,
            decisionComment: c.decisionComment,
            at: c.createdAt.toISOString(),
          })),
        reinspections: reinspections
          .filter((r) => r.taskItemId === i.id)
          .map((r) => ({ round: r.round, dueAt: r.dueAt.toISOString(), outcome: r.outcome, note: r.note })),
        allowedActions: allowedTaskActions(i.state),
      };
    });
  }
}
