import type { ChannelItem } from '@liexi/contracts';
import { useEffect, useState } from 'react';
import { io } from 'socket.io-client';
import type { FiguresOverview } from '../api/types';
import { watchFigures } from './figures-feed';
import { type ChannelLink, SupervisionClient } from './supervision-client';
import { socketWire } from './wire';

/**
 * The `supervision` channel for a screen (secretariat, supervisors, leaders): the items as
 * changed live, the link state, a counter that moves with every applied change (screens fetch
 * what they show again when it moves), and the last overview of the figures pushed as
 * `figures.updated` (null until the first push: fetch `GET /api/figures` once after connecting).
 */
export function useSupervision(token: string | null): {
  items: ReadonlyMap<string, ChannelItem>;
  link: ChannelLink;
  changes: number;
  figures: FiguresOverview | null;
} {
  const [items, setItems] = useState<ReadonlyMap<string, ChannelItem>>(new Map());
  const [link, setLink] = useState<ChannelLink>('connecting');
  const [changes, setChanges] = useState(0);
  const [figures, setFigures] = useState<FiguresOverview | null>(null);
  useEffect(() => {
    if (!token) return;
    const socket = io(`${location.origin}/supervision`, {
      auth: { token },
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 3000,
    });
    const wire = socketWire(socket);
    watchFigures(wire, setFigures);
    const client = new SupervisionClient(wire, {
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
  return { items, link, changes, figures };
}
