import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// "No string is left in a component": user-visible text in the renderer comes from the catalogues
// (src/shared/i18n). This walks every .tsx file's syntax tree and reports JSX text, user-facing
// attributes and string literals rendered from JSX expressions that contain letters. Text built in
// .ts modules (labels, error messages) goes through the same catalogues; reviewers check those.
const ROOT = path.resolve('src/renderer/src');
const VISIBLE_ATTRIBUTES = new Set(['title', 'placeholder', 'aria-label', 'alt', 'label', 'aria-description']);
const hasWords = (s: string): boolean => /\p{L}{2,}/u.test(s);

/** Files not converted yet; each must leave this list as it moves to t(). Empty means done. */
const PENDING = new Set<string>([
]);

function literalsIn(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const where = (n: ts.Node): string => `${path.relative(ROOT, file)}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
  const renderedString = (n: ts.Node): void => {
    // 'text', cond ? 'a' : 'b', a ?? 'b', `text ${x}` directly inside {…}
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) {
      if (hasWords(n.text)) found.push(`${where(n)} "${n.text}"`);
    } else if (ts.isTemplateExpression(n)) {
      const parts = [n.head.text, ...n.templateSpans.map((s) => s.literal.text)].join(' ');
      if (hasWords(parts)) found.push(`${where(n)} \`${parts}\``);
    } else if (ts.isConditionalExpression(n)) {
      renderedString(n.whenTrue);
      renderedString(n.whenFalse);
    } else if (ts.isBinaryExpression(n) && [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.PlusToken].includes(n.operatorToken.kind)) {
      renderedString(n.left);
      renderedString(n.right);
    } else if (ts.isParenthesizedExpression(n)) renderedString(n.expression);
  };
  const visit = (n: ts.Node): void => {
    if (ts.isJsxText(n) && hasWords(n.text)) found.push(`${where(n)} "${n.text.trim()}"`);
    if (ts.isJsxAttribute(n) && VISIBLE_ATTRIBUTES.has(n.name.getText(sf)) && n.initializer) {
      if (ts.isStringLiteral(n.initializer)) renderedString(n.initializer);
      else if (ts.isJsxExpression(n.initializer) && n.initializer.expression) renderedString(n.initializer.expression);
    }
    if (ts.isJsxExpression(n) && n.expression && !ts.isJsxAttribute(n.parent)) renderedString(n.expression);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

const tsxFiles = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsxFiles(path.join(dir, e.name)) : e.name.endsWith('.tsx') ? [path.join(dir, e.name)] : []));

describe('renderer components carry no hard-coded text', () => {
  const files = tsxFiles(ROOT);
  it.each(files.map((f) => path.relative(ROOT, f)))('%s', (rel) => {
    const literals = literalsIn(path.join(ROOT, rel));
    if (PENDING.has(rel)) {
      expect(literals.length, `${rel} is converted now: remove it from PENDING`).toBeGreaterThan(0);
      return;
    }
    expect(literals).toEqual([]);
  });
});
