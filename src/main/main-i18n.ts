import i18next, { type TFunction } from 'i18next';
import { catalogues, resolveLanguage, type Language } from '../shared/i18n/catalogue';

export interface MainI18n {
  language: Language;
  t: TFunction;
  /** "14:05" / "오후 02:05" in the same language. */
  formatTime(iso: string): string;
}

/**
 * The shell's own i18next instance, with the same catalogues as the window: the tray menu and the
 * desktop notifications follow the OS language (Electron's app.getLocale()).
 */
export function createMainI18n(localeTag: string): MainI18n {
  const language = resolveLanguage(localeTag);
  const instance = i18next.createInstance();
  void instance.init({
    lng: language,
    fallbackLng: 'en',
    resources: Object.fromEntries(Object.entries(catalogues).map(([l, c]) => [l, { translation: c }])),
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  const timeFormat = new Intl.DateTimeFormat(language === 'ko' ? 'ko-KR' : 'en-US', { hour: '2-digit', minute: '2-digit' });
  return { language, t: instance.t.bind(instance) as TFunction, formatTime: (iso) => timeFormat.format(new Date(iso)) };
}
