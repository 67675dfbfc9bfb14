import type { AuditEntry } from '../../../shared/schemas/ssh';
import { i18n } from './setup-i18n';

// An audit entry in the window's language. The audit log is written in English with action codes
// (DATA_DIR/audit.jsonl is a record, read by people and tools alike); the window words the codes it
// knows, and the fixed details and outcomes the service writes. What it does not know (a command's
// text, an error from Docker, a newer action) is shown as written.

const t = (key: string, values: object = {}): string => (i18n.t as (k: string, v: object) => string)(key, values);

/** Fixed details the service writes for an action, and the catalogue key that says each. */
const DETAILS: Array<[RegExp, string]> = [
  [/^maintenance on$/, 'maintenanceOn'],
  [/^maintenance off$/, 'maintenanceOff'],
  [/^muted for (?<hours>\d+) h$/, 'mutedFor'],
  [/^unmuted$/, 'unmuted'],
  [/^pin removed$/, 'pinRemoved'],
  [/^no pin$/, 'noPin'],
];

const OUTCOMES: Array<[RegExp, string]> = [
  [/^ok$/, 'ok'],
  [/^requested$/, 'requested'],
  [/^ok in (?<ms>\d+) ms$/, 'okIn'],
  [/^asking the person at the client$/, 'asking'],
];

function worded(table: Array<[RegExp, string]>, prefix: string, text: string): string {
  for (const [pattern, key] of table) {
    const match = pattern.exec(text);
    if (match && i18n.exists(`${prefix}.${key}`)) return t(`${prefix}.${key}`, match.groups ?? {});
  }
  return text;
}

export function auditLine(entry: Pick<AuditEntry, 'actor' | 'action' | 'detail' | 'outcome'>): string {
  const action = i18n.exists(`events.actions.${entry.action}`) ? t(`events.actions.${entry.action}`) : entry.action;
  return t('events.auditLine', { actor: entry.actor, action, detail: worded(DETAILS, 'events.details', entry.detail), outcome: worded(OUTCOMES, 'events.outcomes', entry.outcome) });
}
