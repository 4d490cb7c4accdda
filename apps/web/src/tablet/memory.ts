import { useCallback, useState } from 'react';

/** What this tablet remembers of its own acts in a meeting (the server keeps the truth). */
export interface TabletMemory {
  /** Inputs this attendee submitted (anonymous ones carry no author, so the tablet keeps them). */
  mine: string[];
  cosigned: string[];
  votes: Record<string, string>;
}

const empty: TabletMemory = { mine: [], cosigned: [], votes: {} };

export function useTabletMemory(accountId: string, meetingId: string) {
  const key = `liexi.memory.${accountId}.${meetingId}`;
  const [memory, setMemory] = useState<TabletMemory>(() => {
    try {
      return { ...empty, ...(JSON.parse(localStorage.getItem(key) ?? '{}') as Partial<TabletMemory>) };
    } catch {
      return empty;
    }
  });
  const update = useCallback(
    (fn: (m: TabletMemory) => TabletMemory) =>
      setMemory((m) => {
        const next = fn(m);
        localStorage.setItem(key, JSON.stringify(next));
        return next;
      }),
    [key],
  );
  return { memory, update };
}

/** A text being typed, kept in local storage at every keystroke (a reload loses nothing). */
export function useDraft(key: string): [string, (v: string) => void] {
  const [value, setValue] = useState(() => localStorage.getItem(key) ?? '');
  const set = useCallback(
    (v: string) => {
      if (v) localStorage.setItem(key, v);
      else localStorage.removeItem(key);
      setValue(v);
    },
    [key],
  );
  return [value, set];
}
