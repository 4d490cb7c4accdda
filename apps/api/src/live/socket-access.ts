import { type AccessChange, AccessChanges, meetingStream } from '@liexi/platform';
import type { Subscription } from 'rxjs';
import type { Namespace, Socket } from 'socket.io';
import type { SocketData } from './socket-router';

/** Whether a change of rights ends this socket's session (or, for an invitation, its place in the meeting). */
export function dropsSocket(change: AccessChange, data: SocketData, rooms: ReadonlySet<string>): boolean {
  switch (change.kind) {
    case 'token':
      return data.jti === change.jti;
    case 'account':
    case 'participant': {
      const id = change.kind === 'account' ? data.actor.accountId : data.actor.participantId;
      return id === change.id && (change.inactive || data.iat * 1000 < change.notBefore);
    }
    case 'invitation':
      return data.actor.participantId === change.participantId && rooms.has(meetingStream(change.meetingId));
  }
}

/**
 * Rights that change while a socket is open take effect on it: a signed-out token, a deactivated
 * account or participant end the session; a withdrawn invitation ends the session of that
 * person's sockets following the meeting (they reconnect and a rejoin is refused). Every node
 * learns of the change from its NOTIFY (AccessChanges) and drops its own sockets; nothing is
 * checked per event. (With a socket.io adapter across nodes this could become one
 * `disconnectSockets` to a room; this stays correct either way.)
 */
export function dropSocketsOnAccessChange(server: Namespace, access: AccessChanges): Subscription {
  return access.changes.subscribe((change) => {
    for (const socket of server.sockets.values() as IterableIterator<Socket>) {
      const data = socket.data as SocketData | undefined;
      if (data?.actor && dropsSocket(change, data, socket.rooms)) socket.disconnect(true);
    }
  });
}
