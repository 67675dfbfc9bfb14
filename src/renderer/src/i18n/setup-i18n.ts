import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { catalogues, resolveLanguage, type Language } from '../../../shared/i18n/catalogue';
import type { en } from '../../../shared/i18n/en';

declare module 'i18next' {
  // Typed keys: t('no.such.key') fails `npm run typecheck`.
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}

/** The window follows the OS language (Electron and browsers expose it as navigator.language). */
export function setupI18n(tag: string = navigator.language): Language {
  const lng = resolveLanguage(tag);
  void i18next.use(initReactI18next).init({
    lng,
    fallbackLng: 'en',
    resources: Object.fromEntries(Object.entries(catalogues).map(([l, c]) => [l, { translation: c }])),
    interpolation: { escapeValue: false }, // React escapes
    initAsync: false, // resources are inline: ready synchronously, no flash of keys
  });
  if (typeof document !== 'undefined') document.documentElement.lang = lng; // none outside a page (the tests of error wording)
  return lng;
}

export const i18n = i18next;
