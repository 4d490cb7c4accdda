import type { Lang } from '../i18n';

/** A rate of the api (0–1, 4 decimals) as a percentage with one decimal; '—' when there is none. */
export const pct = (v: number | null | undefined): string =>
  v === null || v === undefined ? '—' : `${Math.round(v * 1000) / 10}%`;

/** A bilingual name of the api in the screen's language. */
export const bi = (lang: Lang, b: { zh: string; en: string }): string => (lang === 'zh' ? b.zh : b.en);

/** Ranking criteria that are rates (the others count items or working days). */
export const isRate = (code: string): boolean => code.endsWith('_rate') || code === 'appraisal';

/** Saves a downloaded file under its name. */
export function save(file: { blob: Blob; filename: string }): void {
  const url = URL.createObjectURL(file.blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
