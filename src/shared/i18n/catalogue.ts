import { en } from './en';
import { ko } from './ko';

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
/** The shape every language's catalogue has: the English keys, any strings. */
export type Catalogue = Widen<typeof en>;

export const LANGUAGES = ['en', 'ko'] as const;
export type Language = (typeof LANGUAGES)[number];
export const catalogues: Record<Language, Catalogue> = { en, ko };

/** The supported language for a BCP 47 tag such as the OS's or the browser's ('ko-KR' → 'ko'); English otherwise. */
export function resolveLanguage(tag: string | undefined | null): Language {
  const base = (tag ?? '').toLowerCase().split(/[-_]/)[0];
  return (LANGUAGES as readonly string[]).includes(base) ? (base as Language) : 'en';
}
