import { Injectable } from '@nestjs/common';
import type { TaskState } from '@liexi/contracts';
import { DirectoryLookupsService } from '@liexi/directory';
import { type Actor, AuditService, Db, decodeCursor, encodeCursor, type Page } from '@liexi/platform';
import { In } from 'typeorm';
import { TaskReplyReviewEntity } from './supervision.entity';
import { TaskAccessService } from './task-access.service';
import { TaskProposerEntity } from './task-links.entity';
import { replyLevel } from './task-workflow';

export interface TaskHistoryEntry {
  at: string;
  /** The action without its `task.` prefix: `assign`, `sign_reply`, `rated`, `progress`, … */
  action: string;
  from: string | null;
  to: string | null;
  comment: string | null;
  /** Who acted; null for the system (jobs) and for an anonymous proposer's own acts. */
  by: { accountId: string; name: string | null; role: string | null } | null;
  /** 分级审核: the level and decision of a reply review (sign, review, approve). */
  review: { level: string; decision: string } | null;
  changes: { before: Record<string, unknown> | null; after: Record<string, unknown> | null };
}

const REVIEW_ACTIONS: Record<string, { level: string | null; decision: string }> = {
  sign_reply: { level: 'sign', decision: 'passed' },
  review_reply: { level: 'review', decision: 'passed' },
  approve_reply: { level: 'approve', decision: 'passed' },
  send_back_reply: { level: null, decision: 'sent_back' },
};

const text = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

/**
 * An item's history from its audit rows, in order: every transition and edit, when, from and
 * to, the comment, and who (account and role) — with the same visibility as the item, and no
 * identity on an anonymous proposer's own acts. Reply reviews show who signed, reviewed and
 * approved at each level, with the reviewer's comment.
 */
@Injectable()
export class TaskHistoryService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly access: TaskAccessService,
    private readonly lookups: DirectoryLookupsService,
  ) {}

  async history(actor: Actor, id: string, limit: number, cursor?: string): Promise<Page<TaskHistoryEntry>> {
    await this.access.visibleItem(actor, id);
    const after = decodeCursor(cursor, 2);
    const rows = await this.audit.entries(
      'task_item',
      id,
      limit + 1,
      after ? { at: String(after[0]), id: String(after[1]) } : null,
    );
    const page = rows.slice(0, limit);
    const anonymous = await this.db.manager.find(TaskProposerEntity, {
      where: { taskItemId: id, anonymous: true },
    });
    const hidden = new Set(
      await this.lookups.accountIdsOfParticipants(anonymous.map((p) => p.participantId)),
    );
    const names = await this.lookups.accountNames(
      page.map((r) => r.actorId).filter((a): a is string => a !== null && !hidden.has(a)),
    );
    const comments = await this.reviewComments(
      id,
      page.map((r) => r.actorId).filter((a): a is string => !!a),
    );
    const items = page.map((r): TaskHistoryEntry => {
      const action = r.action.replace(/^task\./, '');
      const before = r.before;
      const afterData = r.after;
      const reviewKind = REVIEW_ACTIONS[action];
      const level = reviewKind
        ? (reviewKind.level ?? replyLevel((text(before?.state) ?? 'draft') as TaskState)?.level ?? null)
        : null;
      const reviewComment =
        reviewKind && level && r.actorId
          ? (comments.get(`${r.actorId}|${level}|${reviewKind.decision}|${r.at.getTime()}`) ?? null)
          : null;
      return {
        at: r.at.toISOString(),
        action,
        from: text(before?.state),
        to: text(afterData?.state),
        comment:
          reviewComment ??
          text(afterData?.returnReason) ??
          text(afterData?.reason) ??
          text(afterData?.comment) ??
          text(afterData?.note) ??
          null,
        by:
          r.actorId && !hidden.has(r.actorId)
            ? { accountId: r.actorId, name: names.get(r.actorId) ?? null, role: r.actorRole }
            : null,
        review: reviewKind && level ? { level, decision: reviewKind.decision } : null,
        changes: { before, after: afterData },
      };
    });
    const last = page.at(-1);
    return {
      items,
      nextCursor: rows.length > limit && last ? encodeCursor([last.at.toISOString(), last.id]) : null,
    };
  }

  /**
   * Reviewers' comments by actor, level, decision and time: a review row and the audit row of
   * its step are written in one transaction, so both carry its start time (now()).
   */
  private async reviewComments(id: string, actors: string[]): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>();
    if (actors.length === 0) return out;
    const reviews = await this.db.manager.find(TaskReplyReviewEntity, {
      where: { taskItemId: id, actorId: In([...new Set(actors)]) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    for (const r of reviews) {
      out.set(`${r.actorId}|${r.level}|${r.decision}|${r.createdAt.getTime()}`, r.comment);
    }
    return out;
  }
}
