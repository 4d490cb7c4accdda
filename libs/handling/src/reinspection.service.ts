import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { type Actor, APP_CONFIG, type AppConfig, conflict, Db, JobRunner } from '@liexi/platform';
import type { ReinspectionDto } from './handling.dto';
import { DeadlinesService } from './deadlines.service';
import { TaskReinspectionEntity } from './supervision.entity';
import { TaskAccessService } from './task-access.service';
import { TaskItemEntity } from './task-item.entity';
import type { TaskItemView } from './task-item.view';
import { TaskNoticesService } from './task-notices.service';
import { TaskQueriesService } from './task-queries.service';
import { TaskWriter } from './task-writer';

export const REINSPECTION_JOB = 'task.reinspection_due';

/** 回头看: scheduled at close-out, announced when due, recorded as held or relapsed (second handling). */
@Injectable()
export class ReinspectionService implements OnModuleInit {
  constructor(
    private readonly db: Db,
    private readonly access: TaskAccessService,
    private readonly queries: TaskQueriesService,
    private readonly writer: TaskWriter,
    private readonly deadlines: DeadlinesService,
    private readonly notices: TaskNoticesService,
    private readonly jobs: JobRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.register(REINSPECTION_JOB, (payload, now) =>
      this.reinspectionDue(String(payload.taskId), Number(payload.round), now),
    );
  }

  /** At close-out (in its transaction): the round's re-inspection row and its job, REINSPECTION_DAYS later. */
  async schedule(item: { id: string; reopenCount: number }, now: Date): Promise<void> {
    const round = item.reopenCount + 1;
    const dueAt = new Date(now.getTime() + this.config.reinspectionDays * 86_400_000);
    await this.db.query(
      `INSERT INTO task_reinspection (task_item_id, round, due_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [item.id, round, dueAt],
    );
    await this.jobs.schedule({
      name: REINSPECTION_JOB,
      runAt: dueAt,
      key: `reinspection:${item.id}:${round}`,
      payload: { taskId: item.id, round },
    });
  }

  /** Held: the item stays closed. Relapsed: reopened for second handling (new deadline or pending). */
  async recordReinspection(actor: Actor, id: string, dto: ReinspectionDto): Promise<TaskItemView> {
    await this.db.transaction(async () => {
      const item = await this.access.visibleItem(actor, id);
      if (item.state !== 'closed')
        this.writer.invalidTransition(item, 'reinspect', 'only a closed item is re-inspected');
      const round = item.reopenCount + 1;
      const res = await this.db.manager
        .createQueryBuilder()
        .update(TaskReinspectionEntity)
        .set({
          outcome: dto.outcome,
          note: dto.note ?? null,
          recordedBy: actor.accountId,
          recordedAt: new Date(),
        })
        .where('task_item_id = :id AND round = :round AND outcome IS NULL', { id, round })
        .execute();
      if (res.affected !== 1) throw conflict('the re-inspection of this round is already recorded');
      await this.writer.record(actor, item, 'reinspected', null, { round, ...dto });
      if (dto.outcome === 'relapsed') {
        if (dto.deadline)
          await this.deadlines.recordSet(actor, item, dto.deadline, dto.note ?? '回头看：问题反弹');
        await this.writer.move(actor, item, 'reopen', {
          reopenCount: item.reopenCount + 1,
          closedAt: null,
          deadlinePending: !dto.deadline,
          ...(dto.deadline ? { deadline: dto.deadline } : {}),
        });
      }
    });
    return this.queries.get(actor, id);
  }

  /** The job: the re-inspection fell due; tell the supervision office and the unit (once). */
  async reinspectionDue(taskId: string, round: number, now: Date): Promise<void> {
    const res = await this.db.manager
      .createQueryBuilder()
      .update(TaskReinspectionEntity)
      .set({ notifiedAt: now })
      .where('task_item_id = :taskId AND round = :round AND notified_at IS NULL', { taskId, round })
      .execute();
    if (res.affected !== 1) return;
    const item = await this.db.manager.findOne(TaskItemEntity, { where: { id: taskId } });
    if (!item) return;
    await this.notices.notifySupervision(
      item,
      'task.reinspection_due',
      {
        zh: `【回头看】事项“${item.problem}”销号已满期限，请组织回头看并记录结果。`,
        en: `[Re-inspection] “${item.problem}” is due for re-inspection; please record the outcome.`,
      },
      `task.reinspection_due:${taskId}:${round}`,
    );
    await this.writer.record(null, item, 'reinspection_due', null, { round });
  }
}
