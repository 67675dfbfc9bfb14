import { i18n } from './setup-i18n';

type Key = Parameters<typeof i18n.t>[0];
const templates = new Map<string, { language: string; parts: string[]; names: string[] }>();

/**
 * t() for messages the table formats for every row in view on every update ("1.5 ms", the heartbeat
 * title): the message is resolved once per language into a template, then filled by plain string
 * joins. Only for keys without plural forms or nesting.
 */
export function fastT(key: Key & string, vars: Record<string, string | number>): string {
  let template = templates.get(key);
  if (!template || template.language !== i18n.language) {
    const names = Object.keys(vars);
    const marked = String(i18n.t(key, Object.fromEntries(names.map((name, i) => [name, `\u0000${i}\u0000`])) as never));
    const parts = marked.split('\u0000');
    template = { language: i18n.language, parts, names };
    templates.set(key, template);
  }
  let out = '';
  template.parts.forEach((part, i) => (out += i % 2 === 0 ? part : String(vars[template!.names[Number(part)]])));
  return out;
}

const fixed = new Map<string, string>();
/** A message without placeholders ("—", "now"), resolved once per language. */
export function fixedT(key: Key & string): string {
  const cacheKey = `${i18n.language}|${key}`;
  let text = fixed.get(cacheKey);
  if (text === undefined) fixed.set(cacheKey, (text = String(i18n.t(key as never))));
  return text;
}
