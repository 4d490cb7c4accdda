import type { ChannelItem } from '@liexi/contracts';
import { useEffect, useState } from 'react';
import { io } from 'socket.io-client';
import { type ChannelLink, SupervisionClient } from './supervision-client';
import { socketWire } from './wire';

/**
 * The `supervision` channel for a screen (secretariat, supervisors, leaders): the items as
 * changed live, the link state, and a counter that moves with every applied change (screens
 * fetch their figures again when it moves).
 */
export function useSupervision(token: string | null): {
  items: ReadonlyMap<string, ChannelItem>;
  link: ChannelLink;
  changes: number;
} {
  const [items, setItems] = useState<ReadonlyMap<string, ChannelItem>>(new Map());
  const [link, setLink] = useState<ChannelLink>('connecting');
  const [changes, setChanges] = useState(0);
  useEffect(() => {
    if (!token) return;
    const socket = io(`${location.origin}/supervision`, {
      auth: { token },
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 3000,
    });
    const client = new SupervisionClient(socketWire(socket), {
      items: (i) => setItems(new Map(i)),
      changed: (c) => setChanges((n) => n + c.length),
      link: setLink,
    });
    client.start();
    return () => {
      client.stop();
      socket.close();
    };
  }, [token]);
  return { items, link, changes };
}
