import { Injectable } from '@nestjs/common';
import { DirectoryService } from '@liexi/directory';
import { type InputRef, LiveService } from '@liexi/live';
import { type Actor, AuditService, Db, invalid, NotificationService } from '@liexi/platform';
import { proposersOf } from './proposers';
import { TaskAccessService } from './task-access.service';
import type { TaskItemEntity } from './task-item.entity';
import type { TaskItemView } from './task-item.view';
import { TaskSourceInputEntity } from './task-links.entity';
import { TaskQueriesService } from './task-queries.service';
import { TaskWriter } from './task-writer';

/**
 * What becomes of an input (意见建议): turned into an item (its sources and proposers, 联名
 * co-signers included), merged into an existing item, answered directly, or declined. Inputs
 * belong to the live context: they are read and marked through `LiveService` only.
 */
@Injectable()
export class InputDispositionsService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly notifications: NotificationService,
    private readonly live: LiveService,
    private readonly access: TaskAccessService,
    private readonly queries: TaskQueriesService,
    private readonly writer: TaskWriter,
    private readonly directory: DirectoryService,
  ) {}

  /** Duplicates found later are merged into an existing item (their authors become proposers). */
  async mergeInputs(actor: Actor, id: string, inputIds: string[]): Promise<TaskItemView> {
    await this.db.transaction(async () => {
      const inputs = await this.live.requireInputs(inputIds, 'inputIds');
      const item = await this.access.visibleItem(actor, id);
      if (item.state === 'closed')
        this.writer.invalidTransition(item, 'merge', 'a closed item takes no more inputs');
      if (item.meetingId && inputs.some((i) => i.meetingId !== item.meetingId)) {
        throw invalid('all inputs must come from the item’s meeting', {
          inputIds: ['inputs from another meeting'],
        });
      }
      await this.addSources(actor, item, inputs, true);
    });
    return this.queries.get(actor, id);
  }

  /** 直接答复: an input answered without a task item; the author is told. */
  async answerInput(
    actor: Actor,
    inputId: string,
    text: string,
  ): Promise<{ inputId: string; disposition: 'answered' }> {
    const input = await this.live.getInput(inputId);
    await this.db.transaction(async () => {
      await this.live.markAnswered(inputId, text);
      await this.audit.record(actor, {
        action: 'input.answered',
        entityType: 'input',
        entityId: inputId,
        before: { disposition: input.disposition },
        after: { disposition: 'answered', answer: text },
      });
      await this.notifications.enqueue({
        channel: 'inbox',
        recipientType: 'participant',
        recipientId: input.authorParticipantId,
        topic: 'input.answered',
        text: { zh: `您提出的意见建议已答复：${text}`, en: `Your input was answered: ${text}` },
        dedupeKey: `input.answered:${inputId}`,
      });
    });
    return { inputId, disposition: 'answered' };
  }

  /** 不予采纳: declined, with the reason recorded and sent to the author. */
  async declineInput(
    actor: Actor,
    inputId: string,
    reason: string,
  ): Promise<{ inputId: string; disposition: 'declined' }> {
    const input = await this.live.getInput(inputId);
    await this.db.transaction(async () => {
      await this.live.markDeclined(inputId, reason);
      await this.audit.record(actor, {
        action: 'input.declined',
        entityType: 'input',
        entityId: inputId,
        before: { disposition: input.disposition },
        after: { disposition: 'declined', reason },
      });
      await this.notifications.enqueue({
        channel: 'inbox',
        recipientType: 'participant',
        recipientId: input.authorParticipantId,
        topic: 'input.declined',
        text: { zh: `您提出的意见建议未予采纳，理由：${reason}`, en: `Your input was declined: ${reason}` },
        dedupeKey: `input.declined:${inputId}`,
      });
    });
    return { inputId, disposition: 'declined' };
  }

  /**
   * In the caller's transaction: adds source inputs to the item, and their authors and
   * co-signers (联名) as proposers. With `allMerged` every input is marked merged; otherwise
   * the first one was converted into the item by the caller and only the others are merged.
   */
  async addSources(
    actor: Actor,
    item: TaskItemEntity,
    inputs: InputRef[],
    allMerged: boolean,
  ): Promise<void> {
    if (inputs.length === 0) return;
    const merged = allMerged ? inputs : inputs.slice(1);
    await this.live.markMerged(
      merged.map((i) => i.id),
      item.id,
    );
    await this.db.manager
      .createQueryBuilder()
      .insert()
      .into(TaskSourceInputEntity)
      .values(inputs.map((i) => ({ taskItemId: item.id, inputId: i.id })))
      .orIgnore()
      .execute();
    const cosigns = await this.live.cosignersOf(inputs.map((i) => i.id));
    const proposers = proposersOf(inputs, cosigns);
    const people = await this.directory.participantsByIds([...proposers.keys()]);
    for (const [participantId, anonymous] of proposers) {
      const person = people.get(participantId);
      if (!person) throw new Error(`proposer ${participantId} is not in the directory`);
      await this.db.query(
        `INSERT INTO task_proposer (task_item_id, participant_id, anonymous, constituency) VALUES ($1, $2, $3, $4)
         ON CONFLICT (task_item_id, participant_id) DO UPDATE SET anonymous = task_proposer.anonymous AND EXCLUDED.anonymous`,
        [item.id, participantId, anonymous, person.constituency],
      );
    }
    if (merged.length > 0) {
      await this.writer.record(actor, item, 'inputs_merged', null, { inputIds: merged.map((i) => i.id) });
    }
  }
}
