import type { Catalogue } from './catalogue-shape';
import { en } from './en';
import { ko } from './ko';

export type { Catalogue };

export const LANGUAGES = ['en', 'ko'] as const;
export type Language = (typeof LANGUAGES)[number];
export const catalogues: Record<Language, Catalogue> = { en, ko };

/** The supported language for a BCP 47 tag such as the OS's or the browser's ('ko-KR' → 'ko'); English otherwise. */
export function resolveLanguage(tag: string | undefined | null): Language {
  const base = (tag ?? '').toLowerCase().split(/[-_]/)[0];
  return (LANGUAGES as readonly string[]).includes(base) ? (base as Language) : 'en';
}
