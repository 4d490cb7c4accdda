import { type FormEvent, useCallback, useMemo, useState } from 'react';
import { ApiError, Rest } from '../api/rest';
import { loadSession, saveSession, type Screen } from '../api/session';
import type { Session } from '../api/types';
import { useLang, useT } from '../i18n';
import { label } from '../labels';

export interface SessionState {
  session: Session | null;
  rest: Rest;
  signIn: (session: Session) => void;
  signOut: () => void;
}

export function useSession(screen: Screen): SessionState {
  const [session, setSession] = useState<Session | null>(() => loadSession(screen));
  const rest = useMemo(() => new Rest(session?.accessToken ?? null), [session]);
  const signIn = useCallback(
    (s: Session) => {
      saveSession(screen, s);
      setSession(s);
    },
    [screen],
  );
  const signOut = useCallback(() => {
    saveSession(screen, null);
    setSession(null);
  }, [screen]);
  return { session, rest, signIn, signOut };
}

/** An error as a person reads it: the server's message (it follows Accept-Language) and its code. */
export function errorText(err: unknown, t: (zh: string, en: string) => string): string {
  if (err instanceof ApiError) {
    if (err.status === 0) return t('网络不可用，请稍后重试', 'The network is unavailable; try again');
    return `${err.message} (${err.code})`;
  }
  return err instanceof Error ? err.message : String(err);
}

export function ErrorNote({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p role="alert" className="error">
      {error}
    </p>
  );
}

/** Runs an action with a busy flag and a readable error. */
export function useAction(): {
  busy: boolean;
  error: string | null;
  run: <T>(fn: () => Promise<T>) => Promise<T | undefined>;
  clear: () => void;
} {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async <T,>(fn: () => Promise<T>): Promise<T | undefined> => {
      setBusy(true);
      setError(null);
      try {
        return await fn();
      } catch (err) {
        setError(errorText(err, t));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [t],
  );
  return { busy, error, run, clear: () => setError(null) };
}

export function LoginForm({ onSession, hint }: { onSession: (s: Session) => void; hint?: string }) {
  const t = useT();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => onSession(await new Rest().login(username.trim(), password)));
  };
  return (
    <form className="card login" onSubmit={submit} aria-label={t('登录', 'Sign in')}>
      <h2>{t('登录', 'Sign in')}</h2>
      {hint && <p className="muted">{hint}</p>}
      <label>
        {t('用户名', 'Username')}
        <input
          name="username"
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          required
        />
      </label>
      <label>
        {t('密码', 'Password')}
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
      </label>
      <button type="submit" disabled={busy}>
        {t('登录', 'Sign in')}
      </button>
      <ErrorNote error={error} />
    </form>
  );
}

export function WhoAmI({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const { lang, t } = useLang();
  return (
    <div className="whoami">
      <span data-testid="whoami">
        {session.actor.username} · {label(lang, 'role', session.actor.role)}
      </span>
      <button type="button" className="secondary" onClick={onSignOut}>
        {t('退出', 'Sign out')}
      </button>
    </div>
  );
}
