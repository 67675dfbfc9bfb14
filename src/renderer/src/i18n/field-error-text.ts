import { i18n } from './setup-i18n';

// The shared schemas (and the service) word their rules in English; every form shows them in the
// UI's language. Each known message maps to a catalogue key; one not known here is shown as sent.
const MESSAGES: Array<[RegExp, string]> = [
  [/^is required$/, 'required'],
  [/^must be a whole number$/, 'wholeNumber'],
  [/^must be a number$/, 'number'],
  [/^must be at least (?<min>\d+)$/, 'atLeast'],
  [/^must be greater than 0$/, 'positive'],
  [/^must not be empty$/, 'notEmpty'],
  [/^must be at most (?<max>\d+) characters$/, 'maxChars'],
  [/^must be an IPv4 or IPv6 address$/, 'ip'],
  [/^must be an IPv4 or IPv6 address, or a DNS name/, 'address'],
  [/^must be a slug/, 'slug'],
  [/^must not contain spaces/, 'hostname'],
  [/^may contain only letters, digits/, 'tagChars'],
  [/^tags must be unique$/, 'tagsUnique'],
  [/^must be a port between 1 and 65535$/, 'port'],
  [/^must be a valid user name$/, 'userName'],
  [/^must start with \/$/, 'path'],
  [/^must be one of master, worker, storage$/, 'role'],
  [/^must not contain control characters/, 'description'],
  [/^is already used by node "(?<node>.+)"$/, 'addressTaken'],
  [/^already exists$/, 'exists'],
  [/^is not a known field$/, 'unknownField'],
  [/^Invalid input/, 'invalid'],
];

/**
 * A field error in the UI's language: by a known message (the form's own wording), else by the
 * general code the service and the shared schemas attach (`validation.<code>`), else as sent.
 */
export function translateMessage(message: string, code?: string, params?: Record<string, string | number>): string {
  if (!i18n.isInitialized) return message;
  const t = i18n.t as (key: string, values: object) => string;
  for (const [pattern, key] of MESSAGES) {
    const match = pattern.exec(message);
    if (match) return t(`form.errors.${key}`, match.groups ?? {});
  }
  return code && i18n.exists(`validation.${code}`) ? t(`validation.${code}`, params ?? {}) : message;
}
