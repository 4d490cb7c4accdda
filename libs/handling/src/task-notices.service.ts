import { Injectable } from '@nestjs/common';
import { DirectoryService } from '@liexi/directory';
import { NotificationService } from '@liexi/platform';

/** Notices about an item for its lead unit and the supervision office, put in the outbox in the caller's transaction. */
@Injectable()
export class TaskNoticesService {
  constructor(
    private readonly notifications: NotificationService,
    private readonly directory: DirectoryService,
  ) {}

  /** The supervision office's accounts (督查室), to look up once for many notices. */
  supervisors(): Promise<string[]> {
    return this.directory.accountIdsByRole('supervisor');
  }

  /** Notifies the lead unit and the supervision office (zh + en), once per dedupe key. */
  async notifySupervision(
    item: { leadUnitId: string },
    topic: string,
    text: { zh: string; en: string },
    dedupeKey: string,
    supervisors?: string[],
  ): Promise<void> {
    await this.notifications.enqueue({
      channel: 'inbox',
      recipientType: 'unit',
      recipientId: item.leadUnitId,
      topic,
      text,
      dedupeKey: `${dedupeKey}:unit`,
    });
    for (const accountId of supervisors ?? (await this.supervisors())) {
      await this.notifications.enqueue({
        channel: 'inbox',
        recipientType: 'account',
        recipientId: accountId,
        topic,
        text,
        dedupeKey: `${dedupeKey}:${accountId}`,
      });
    }
  }
}
