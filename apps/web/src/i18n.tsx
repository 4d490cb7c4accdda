import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { setAcceptLanguage } from './api/rest';

export type Lang = 'zh' | 'en';

interface LangContext {
  lang: Lang;
  setLang: (lang: Lang) => void;
  /** Picks the text of the current language: every string is written in both, zh-CN first. */
  t: (zh: string, en: string) => string;
}

const Ctx = createContext<LangContext>({ lang: 'zh', setLang: () => undefined, t: (zh) => zh });

const KEY = 'liexi.lang';

export function LangProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => (localStorage.getItem(KEY) === 'en' ? 'en' : 'zh'));
  setAcceptLanguage(lang);
  const setLang = useCallback((l: Lang) => {
    localStorage.setItem(KEY, l);
    document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
    setLangState(l);
  }, []);
  const t = useCallback((zh: string, en: string) => (lang === 'zh' ? zh : en), [lang]);
  const value = useMemo(() => ({ lang, setLang, t }), [lang, setLang, t]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export const useLang = (): LangContext => useContext(Ctx);
export const useT = (): LangContext['t'] => useContext(Ctx).t;
