import { createHash } from 'node:crypto';
import { SECRET_NAME, redactUrlCredentials } from '../util/redaction';

// What a person approves under `ask` is the call itself: every argument, rendered in full, and a
// digest of the canonical arguments that the sealed answer is bound to.

/** Who reads a rendering: the person deciding (sees every value but those of secret-named keys), or the audit log (no env value, no URL credentials). */
export type Audience = 'person' | 'audit';

/** JSON with object keys sorted at every level, so equal arguments give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** SHA-256 of the tool, its nodes and its canonical arguments: any change to what would run changes it. */
export function argumentsDigest(tool: string, nodes: string[], args: unknown): string {
  return createHash('sha256').update(canonicalJson({ tool, nodes, args: args ?? {} })).digest('hex');
}

// Control, format and bidirectional characters could hide or reorder what the person reads.
// eslint-disable-next-line no-control-regex -- control characters are exactly what this finds
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g;
const visible = (text: string) => text.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const quote = (value: unknown) => visible(JSON.stringify(value) ?? 'undefined');
const keyText = (key: string) => (/^[A-Za-z_][\w-]*$/.test(key) ? key : `[${quote(key)}]`);
const hidden = (value: unknown) => `[hidden: ${typeof value === 'string' ? `${value.length} characters` : typeof value}]`;

function lines(value: unknown, path: string, audience: Audience, underEnv: boolean): string[] {
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) return [`${path}: ${quote(audience === 'audit' ? value.map((v) => (typeof v === 'string' ? redactUrlCredentials(v) : v)) : value)}`];
    return value.flatMap((v, i) => lines(v, `${path}[${i}]`, audience, false));
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return [`${path}: {}`];
    return entries.flatMap(([key, v]) => {
      const at = path ? (keyText(key).startsWith('[') ? `${path}${keyText(key)}` : `${path}.${key}`) : keyText(key);
      // A secret-named key's value is masked for everyone; the audit keeps no environment value at all.
      if (v !== null && typeof v !== 'object' && (SECRET_NAME.test(key) || (audience === 'audit' && underEnv))) return [`${at}: ${hidden(v)}`];
      return lines(v, at, audience, key === 'env');
    });
  }
  return [`${path}: ${quote(audience === 'audit' && typeof value === 'string' ? redactUrlCredentials(value) : value)}`];
}

/**
 * Every argument of a call, one `path: value` line each (values as JSON, invisible characters
 * escaped), so the person reads exactly what will run; `(no arguments)` when there are none.
 */
export function renderArguments(args: unknown, audience: Audience): string {
  const out = lines(args ?? {}, '', audience, false);
  return out.length === 1 && out[0] === ': {}' ? '(no arguments)' : out.join('\n');
}
