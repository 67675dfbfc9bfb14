import { describe, expect, it } from 'vitest';
import { catalogues, resolveLanguage } from '../../src/shared/i18n/catalogue';

type Tree = { [key: string]: string | Tree };
function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}
const placeholders = (s: string): string[] => [...s.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]).sort();

describe('message catalogues', () => {
  const en = flatten(catalogues.en as unknown as Tree);
  const ko = flatten(catalogues.ko as unknown as Tree);

  it('Korean has every English key and no other', () => {
    expect([...en.keys()].filter((k) => !ko.has(k)), 'missing in ko').toEqual([]);
    expect([...ko.keys()].filter((k) => !en.has(k)), 'missing in en').toEqual([]);
  });

  it('no message is empty and both languages use the same placeholders', () => {
    for (const [key, text] of en) {
      expect(text.trim(), `en ${key}`).not.toBe('');
      expect(ko.get(key)?.trim(), `ko ${key}`).not.toBe('');
      expect(placeholders(ko.get(key) ?? ''), `placeholders of ${key}`).toEqual(placeholders(text));
    }
  });

  it('picks the language from the OS or browser tag', () => {
    expect(resolveLanguage('ko-KR')).toBe('ko');
    expect(resolveLanguage('ko')).toBe('ko');
    expect(resolveLanguage('en-GB')).toBe('en');
    expect(resolveLanguage('fr-FR')).toBe('en');
    expect(resolveLanguage(undefined)).toBe('en');
  });
});
