import { Injectable } from '@nestjs/common';

/**
 * What a context may ask of the socket edges without knowing them: drop every socket of some
 * accounts, on every node (the edges register how: socket.io's postgres adapter broadcasts it).
 */
@Injectable()
export class SocketSessions {
  private readonly handlers: ((accountIds: string[]) => void)[] = [];

  /** For the socket edges. */
  onDisconnect(handler: (accountIds: string[]) => void): void {
    this.handlers.push(handler);
  }

  /** Call after commit (the change that warrants it must not roll back). */
  disconnect(accountIds: string[]): void {
    if (accountIds.length === 0) return;
    for (const handler of this.handlers) handler(accountIds);
  }
}

/** The room every socket of an account joins on connection (on any namespace, on any node). */
export const accountRoom = (accountId: string): string => `account:${accountId}`;
