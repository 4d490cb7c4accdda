import { Injectable } from '@nestjs/common';

/**
 * This node is shutting down (SIGTERM): readiness answers 503 so the balancer sends nothing new,
 * HTTP answers close their connections, socket edges refuse new events with the retryable
 * UNAVAILABLE and close their transports once their in-flight acks are answered (tablets then
 * reconnect through the balancer to another node).
 */
@Injectable()
export class DrainState {
  private startedAt: number | null = null;

  get draining(): boolean {
    return this.startedAt !== null;
  }

  start(): void {
    this.startedAt ??= Date.now();
  }
}
