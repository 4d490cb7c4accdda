import { Injectable } from '@nestjs/common';
import { DirectoryService } from '@liexi/directory';
import { MeetingFiguresService } from '@liexi/meetings';
import {
  type Actor,
  Clock,
  Db,
  keysetCondition,
  type KeysetOrder,
  keysetOrderBy,
  notFound,
  type Page,
  pageOf,
} from '@liexi/platform';
import { In } from 'typeorm';
import type { PublicationDto } from './task-extras.dto';
import { TaskAccessService } from './task-access.service';
import { TaskItemEntity } from './task-item.entity';
import { TaskCooperatingUnitEntity, TaskReplyEntity } from './task-links.entity';
import { TaskWriter } from './task-writer';

/**
 * What the public sees of a published item: the matter, who handles it, how and by when, its
 * state and the replies sent — never a proposer (named or anonymous), a contact, a draft, a
 * review, a rating or anything unpublished.
 */
export interface PublicItemView {
  id: string;
  problem: string;
  leadUnit: string;
  cooperatingUnits: string[];
  measure: string;
  deadline: string;
  taskClass: string;
  classReason: string | null;
  state: string;
  meeting: { title: string; startsAt: string } | null;
  replies: { round: number; body: string; sentAt: string }[];
  publishedAt: string;
  closedAt: string | null;
}

const like = (q: string): string => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** 政务公开: publication is an explicit, audited decision per item; the public reads only what is published. */
/** Public items: newest publication first (the cursor keeps microseconds). */
const PUBLISHED_ORDER: KeysetOrder = {
  column: 't.published_at',
  type: 'timestamptz',
  id: 't.id',
  direction: 'DESC',
};

@Injectable()
export class PublicationService {
  constructor(
    private readonly db: Db,
    private readonly access: TaskAccessService,
    private readonly writer: TaskWriter,
    private readonly clock: Clock,
    private readonly directory: DirectoryService,
    private readonly meetings: MeetingFiguresService,
  ) {}

  /** Publish (or withdraw) an item: audited and announced like every change of the item. */
  async decide(
    actor: Actor,
    id: string,
    dto: PublicationDto,
  ): Promise<{ id: string; publishedAt: string | null }> {
    return this.db.transaction(async () => {
      const item = await this.access.visibleItem(actor, id);
      if (item.state === 'draft') this.writer.invalidTransition(item, 'publish', 'a draft is not published');
      const publishedAt = dto.published ? (item.publishedAt ?? this.clock.now()) : null;
      await this.db.manager.update(TaskItemEntity, { id }, { publishedAt });
      const before = { publishedAt: item.publishedAt?.toISOString() ?? null };
      item.publishedAt = publishedAt;
      await this.writer.record(actor, item, dto.published ? 'published' : 'unpublished', before, {
        publishedAt: publishedAt?.toISOString() ?? null,
        reason: dto.reason ?? null,
      });
      return { id, publishedAt: publishedAt?.toISOString() ?? null };
    });
  }

  /** Published items, newest publication first, with a search over the text and the lead unit. */
  async list(q: { q?: string; limit: number; cursor?: string }): Promise<Page<PublicItemView>> {
    const after = keysetCondition(PUBLISHED_ORDER, q.cursor, 3);
    const pattern = q.q ? like(q.q) : null;
    const units = pattern
      ? (await this.directory.listUnits()).filter((u) => u.name.includes(q.q ?? '')).map((u) => u.id)
      : [];
    const params = [pattern, units, ...after.params, q.limit + 1];
    const rows = await this.db.query<{ id: string; keyset_value: string }>(
      `SELECT t.id, t.published_at::text AS keyset_value FROM task_item t
       WHERE t.published_at IS NOT NULL
         AND ($1::text IS NULL OR t.problem ILIKE $1 OR t.measure ILIKE $1 OR t.lead_unit_id = ANY($2::uuid[])
              OR EXISTS (SELECT 1 FROM task_reply r WHERE r.task_item_id = t.id AND r.sent_at IS NOT NULL AND r.body ILIKE $1))
         ${after.sql ? `AND ${after.sql}` : ''}
       ORDER BY ${keysetOrderBy(PUBLISHED_ORDER)} LIMIT $${params.length}`,
      params,
    );
    const page = pageOf(rows, q.limit, (r) => [r.keyset_value, r.id]);
    return { items: await this.views(page.items.map((r) => r.id)), nextCursor: page.nextCursor };
  }

  async get(id: string): Promise<PublicItemView> {
    const [view] = await this.views([id]);
    if (!view) throw notFound('published item', id);
    return view;
  }

  private async views(ids: string[]): Promise<PublicItemView[]> {
    if (ids.length === 0) return [];
    const m = this.db.manager;
    const items = await m.find(TaskItemEntity, { where: { id: In(ids) } });
    const published = new Map(items.filter((t) => t.publishedAt !== null).map((t) => [t.id, t]));
    const [coop, replies] = await Promise.all([
      m.find(TaskCooperatingUnitEntity, { where: { taskItemId: In([...published.keys()]) } }),
      m.find(TaskReplyEntity, { where: { taskItemId: In([...published.keys()]) }, order: { sentAt: 'ASC' } }),
    ]);
    const units = await this.directory.unitNames([
      ...items.map((t) => t.leadUnitId),
      ...coop.map((c) => c.unitId),
    ]);
    const meetings = await this.meetings.briefs(
      items.map((t) => t.meetingId).filter((x): x is string => !!x),
    );
    return ids.flatMap((id) => {
      const t = published.get(id);
      if (!t) return [];
      const meeting = t.meetingId ? meetings.get(t.meetingId) : undefined;
      return [
        {
          id: t.id,
          problem: t.problem,
          leadUnit: units.get(t.leadUnitId) ?? '',
          cooperatingUnits: coop.filter((c) => c.taskItemId === id).map((c) => units.get(c.unitId) ?? ''),
          measure: t.measure,
          deadline: t.deadline,
          taskClass: t.taskClass,
          classReason: t.classReason,
          state: t.state,
          meeting: meeting ? { title: meeting.title, startsAt: meeting.startsAt } : null,
          replies: replies
            .filter((r) => r.taskItemId === id && r.sentAt !== null)
            .map((r) => ({ round: r.round, body: r.body, sentAt: (r.sentAt as Date).toISOString() })),
          publishedAt: (t.publishedAt as Date).toISOString(),
          closedAt: t.closedAt?.toISOString() ?? null,
        },
      ];
    });
  }
}
