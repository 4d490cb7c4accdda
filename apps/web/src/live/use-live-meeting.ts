import type { Ack, ErrorBody } from '@liexi/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { io } from 'socket.io-client';
import { LiveClient, type LinkState } from './live-client';
import { applyEvents, fromSnapshot, type MeetingState } from './meeting-state';
import { Outbox, type OutboxEntry } from './outbox';
import { socketWire } from './wire';

export interface LiveMeeting {
  state: MeetingState | null;
  link: LinkState;
  /** Writes not acked yet (and refused ones, kept for the text). */
  outbox: readonly OutboxEntry[];
  /** Queues a write; `payload` carries the clientKey when the event takes one. */
  send: (event: string, payload: Record<string, unknown>) => string;
  dismiss: (key: string) => void;
  /** A console command sent once (see LiveClient.command). */
  command<T = unknown>(event: string, payload: Record<string, unknown>): Promise<Ack<T>>;
  /** Why the socket was refused (e.g. UNAUTHORIZED when the token expired). */
  refusal: string | null;
  lastRefused: { entry: OutboxEntry; error: ErrorBody } | null;
}

const newKey = (): string =>
  typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now().toString(16)}-${Math.random().toString(16).slice(2)}`;

/**
 * One meeting over `/live` for a screen: the socket, the README's client algorithm
 * (`LiveClient`) and the outbox in local storage (per account and meeting, so a reload keeps
 * what was typed). `onAcked` hears each acked write (e.g. to remember one's own inputs).
 */
export function useLiveMeeting(
  token: string,
  accountId: string,
  meetingId: string,
  onAcked?: (entry: OutboxEntry, data: unknown) => void,
): LiveMeeting {
  const [state, setState] = useState<MeetingState | null>(null);
  const [link, setLink] = useState<LinkState>('connecting');
  const [outbox, setOutbox] = useState<readonly OutboxEntry[]>([]);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [lastRefused, setLastRefused] = useState<LiveMeeting['lastRefused']>(null);
  const client = useRef<LiveClient | null>(null);
  const acked = useRef(onAcked);
  useEffect(() => {
    acked.current = onAcked;
  }, [onAcked]);

  useEffect(() => {
    const socket = io(`${location.origin}/live`, {
      auth: { token },
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 3000,
    });
    const c = new LiveClient(
      socketWire(socket),
      meetingId,
      new Outbox(localStorage, `liexi.outbox.${accountId}.${meetingId}`),
      {
        snapshot: (s) => setState(fromSnapshot(s)),
        events: (events) => setState((st) => (st ? applyEvents(st, events) : st)),
        link: setLink,
        outbox: (entries) => setOutbox([...entries]),
        acked: (entry, data) => acked.current?.(entry, data),
        refused: (entry, error) => setLastRefused({ entry, error }),
      },
    );
    client.current = c;
    socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      setRefusal(err.data?.code ?? err.message);
    });
    socket.on('connect', () => setRefusal(null));
    // The tablet knows it is offline before the socket's heartbeat does: show it at once, and
    // reconnect as soon as the network is back.
    const offline = () => {
      socket.disconnect();
    };
    const online = () => {
      if (!socket.connected) socket.connect();
    };
    window.addEventListener('offline', offline);
    window.addEventListener('online', online);
    c.start();
    return () => {
      window.removeEventListener('offline', offline);
      window.removeEventListener('online', online);
      c.stop();
      socket.close();
      client.current = null;
    };
  }, [token, accountId, meetingId]);

  const send = useCallback((event: string, payload: Record<string, unknown>): string => {
    const key = typeof payload.clientKey === 'string' ? payload.clientKey : newKey();
    client.current?.send(event, payload, key);
    return key;
  }, []);
  const dismiss = useCallback((key: string) => client.current?.dismiss(key), []);
  const command = useCallback(
    <T>(event: string, payload: Record<string, unknown>): Promise<Ack<T>> =>
      client.current
        ? client.current.command<T>(event, payload)
        : Promise.resolve({ ok: false, error: { code: 'UNAVAILABLE', message: 'not connected' } }),
    [],
  );
  return { state, link, outbox, send, dismiss, command, refusal, lastRefused };
}

export { newKey };
