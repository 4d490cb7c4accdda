import type { Session } from './types';

/** A screen's session, kept in local storage so a reload keeps it (one per screen). */
export type Screen = 'tablet' | 'console' | 'dashboard';

const key = (screen: Screen): string => `liexi.session.${screen}`;

export function loadSession(screen: Screen): Session | null {
  try {
    const raw = localStorage.getItem(key(screen));
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    return new Date(s.expiresAt).getTime() > Date.now() ? s : null;
  } catch {
    return null;
  }
}

export function saveSession(screen: Screen, session: Session | null): void {
  if (session) localStorage.setItem(key(screen), JSON.stringify(session));
  else localStorage.removeItem(key(screen));
}
