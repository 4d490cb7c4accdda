import { Injectable, Logger } from '@nestjs/common';
import type { NotificationEntity } from './notification.entity';

/**
 * The gateway to the outside world (SMS, e-mail): a real SMS gateway plugs in here (provide
 * another class for this token). `notification.address` is the phone number or address;
 * `notification.id` is the idempotency key to hand to the gateway. Throw to fail the send (it
 * is retried with back-off). Tests replace it with a recording fake.
 */
export abstract class NotificationSender {
  abstract send(notification: NotificationEntity): Promise<void>;
}

/** The default sender: logs what would be sent (no SMS gateway is configured). */
@Injectable()
export class LoggingNotificationSender extends NotificationSender {
  private readonly logger = new Logger('Notifications');

  send(n: NotificationEntity): Promise<void> {
    this.logger.log(`[${n.channel}] ${n.id} → ${n.recipientType}:${n.recipientId} ${n.topic}: ${n.textZh}`);
    return Promise.resolve();
  }
}
