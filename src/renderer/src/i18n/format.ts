import { i18n } from './setup-i18n';

// Dates and numbers use Intl in the UI's language, so Korean gets 오후 2:05 and 1,234.
const locale = (): string => (i18n.language === 'ko' ? 'ko-KR' : 'en-US');

export const formatNumber = (n: number, digits = 0): string =>
  new Intl.NumberFormat(locale(), { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n);

export const formatPercent = (ratio: number, digits = 1): string =>
  new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: digits, minimumFractionDigits: digits }).format(ratio);

export const formatTime = (iso: string | number | Date): string =>
  new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));

export const formatDateTime = (iso: string | number | Date): string =>
  new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

/** "12 seconds ago" / "12초 전", rounded to the largest whole unit. */
export function formatAgo(iso: string | number, now = Date.now()): string {
  const s = Math.round((now - new Date(iso).getTime()) / 1000);
  const rtf = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto', style: 'narrow' });
  if (Math.abs(s) < 60) return rtf.format(-Math.max(0, s), 'second');
  if (Math.abs(s) < 3600) return rtf.format(-Math.floor(s / 60), 'minute');
  if (Math.abs(s) < 86400) return rtf.format(-Math.floor(s / 3600), 'hour');
  return rtf.format(-Math.floor(s / 86400), 'day');
}
