import { i18n } from './setup-i18n';

// Dates and numbers use Intl in the UI's language, so Korean gets 오후 2:05 and 1,234.
const locale = (): string => (i18n.language === 'ko' ? 'ko-KR' : 'en-US');

// Intl formatters are costly to build and the table formats on every update: one per locale and options.
const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>();
function cached<F extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>(kind: string, options: object, make: (locale: string) => F): F {
  const key = `${kind}|${locale()}|${JSON.stringify(options)}`;
  let formatter = cache.get(key) as F | undefined;
  if (!formatter) cache.set(key, (formatter = make(locale())));
  return formatter;
}

export function formatNumber(n: number, digits = 0): string {
  // Both languages write numbers under 1,000 as toFixed does ("12.5"); Intl is slower, and the table formats every row in view.
  if (Math.abs(n) < 1000 && Number.isFinite(n)) return n.toFixed(digits);
  return cached('n', { digits }, (l) => new Intl.NumberFormat(l, { maximumFractionDigits: digits, minimumFractionDigits: digits })).format(n);
}

export const formatPercent = (ratio: number, digits = 1): string =>
  cached('p', { digits }, (l) => new Intl.NumberFormat(l, { style: 'percent', maximumFractionDigits: digits, minimumFractionDigits: digits })).format(ratio);

export const formatTime = (iso: string | number | Date): string =>
  cached('t', {}, (l) => new Intl.DateTimeFormat(l, { hour: '2-digit', minute: '2-digit' })).format(new Date(iso));

export const formatDateTime = (iso: string | number | Date): string =>
  cached('dt', {}, (l) => new Intl.DateTimeFormat(l, { dateStyle: 'medium', timeStyle: 'short' })).format(new Date(iso));

/** A measured span in its largest whole unit: "3 min", "5 hr", "12 days" (3분, 5시간, 12일). */
export function formatSpan(seconds: number): string {
  const [value, unit] = seconds < 3600 ? [Math.max(1, Math.floor(seconds / 60)), 'minute'] : seconds < 86_400 ? [Math.floor(seconds / 3600), 'hour'] : [Math.floor(seconds / 86_400), 'day'];
  return cached('s', { unit }, (l) => new Intl.NumberFormat(l, { style: 'unit', unit, unitDisplay: 'short' })).format(value);
}

/** A moment in short: the time alone when it is today, else date and time. */
export function formatWhen(iso: string | number | Date, now = Date.now()): string {
  const date = new Date(iso);
  return date.toDateString() === new Date(now).toDateString() ? formatTime(date) : formatDateTime(date);
}

// Ages repeat (every row in view says "3 s ago" after a sweep): each text is formatted once per language.
const agoTexts = new Map<string, string>();

/** "12 seconds ago" / "12초 전", rounded to the largest whole unit. */
export function formatAgo(iso: string | number, now = Date.now()): string {
  const s = Math.round((now - new Date(iso).getTime()) / 1000);
  const key = `${locale()}|${s}`;
  let text = agoTexts.get(key);
  if (text === undefined) {
    if (agoTexts.size > 5000) agoTexts.clear();
    agoTexts.set(key, (text = agoText(s)));
  }
  return text;
}

function agoText(s: number): string {
  const rtf = cached('r', {}, (l) => new Intl.RelativeTimeFormat(l, { numeric: 'auto', style: 'narrow' }));
  if (Math.abs(s) < 60) return rtf.format(-Math.max(0, s), 'second');
  if (Math.abs(s) < 3600) return rtf.format(-Math.floor(s / 60), 'minute');
  if (Math.abs(s) < 86400) return rtf.format(-Math.floor(s / 3600), 'hour');
  return rtf.format(-Math.floor(s / 86400), 'day');
}

/**
 * Builds the formatters once at start-up, while the page waits for its first snapshot: the first
 * Intl formatter of each kind loads locale data, which would otherwise delay the table's first rows.
 */
export function warmUpFormatters(): void {
  const now = Date.now();
  formatNumber(1, 1);
  formatPercent(1, 0);
  formatPercent(0.5);
  formatTime(now);
  formatDateTime(now);
  formatAgo(now, now);
}
