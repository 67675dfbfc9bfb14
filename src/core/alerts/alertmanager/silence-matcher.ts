import type { RE2JS } from 're2js';
import { z } from 'zod';
import { loadRe2 } from '../../util/lazy-modules';

// Which of a peer's silences cover a node, at a cost the peer cannot choose. Anyone who reaches an
// Alertmanager can create a silence, so its regexes are hostile input: they are evaluated with RE2's
// semantics (as Alertmanager itself does, in time linear in the input), a pattern whose compiled
// program would be huge is not compiled at all, the work yields to the event loop every few
// milliseconds, and one answer gets a bounded budget of CPU time.

/** A silence as Alertmanager's API v2 answers it; anything else in the list is skipped. */
const MatcherWire = z.object({ name: z.string().max(1024), value: z.string().max(4096), isRegex: z.boolean(), isEqual: z.boolean().optional() });
export const SilenceWireSchema = z.object({
  id: z.string().max(256),
  status: z.object({ state: z.string().optional() }).optional(),
  matchers: z.array(MatcherWire).max(256),
  endsAt: z.string().max(64).optional(),
  createdBy: z.string().max(1024).optional(),
  comment: z.string().max(8192).optional(),
});
export type SilenceWire = z.infer<typeof SilenceWireSchema>;
export type AmMatcher = z.infer<typeof MatcherWire>;

/** A pattern estimated to compile past this many instructions is not compiled (the estimate errs high). */
export const MAX_PATTERN_COST = 1500;
/** CPU time one answer may take to evaluate; past it the rest is reported, not evaluated. */
export const EVALUATION_BUDGET_MS = 1000;
/** Work between two yields to the event loop. */
const SLICE_MS = 8;
/** Silences looked at in one answer. */
export const MAX_SILENCES = 10_000;

/**
 * An upper bound on the size of the program a pattern compiles to: each atom counts (classes and
 * escapes more), and a counted repetition multiplies the atom or group before it. RE2 expands
 * `x{n}` into n copies, so `(.*){1000}` is cheap to write and costly to compile.
 */
const UNICODE_CLASS = 64; // \pL{20} compiles in about 25 ms
export function patternCost(pattern: string): number {
  const stack: number[] = [0];
  let last = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const stop = end < 0 ? pattern.length : end + 2;
        last = stop - i;
        i = stop - 1;
      } else if (next === 'p' || next === 'P') {
        // A Unicode class is one instruction with hundreds of ranges.
        const end = pattern[i + 2] === '{' ? pattern.indexOf('}', i) : i + 2;
        i = end < 0 ? pattern.length : end;
        last = UNICODE_CLASS;
      } else {
        i += 1;
        last = 4;
      }
      stack[stack.length - 1] += last;
    } else if (c === '[') {
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      let unicode = false;
      for (; j < pattern.length && pattern[j] !== ']'; j++) {
        if (pattern[j] === '\\') unicode ||= 'pP'.includes(pattern[++j]);
        else if (pattern[j] === '[' && pattern[j + 1] === ':') j = Math.max(j, pattern.indexOf(':]', j + 2) + 1);
      }
      last = unicode ? UNICODE_CLASS : 16;
      stack[stack.length - 1] += last;
      i = j;
    } else if (c === '(') {
      stack.push(0);
      last = 0;
    } else if (c === ')') {
      last = (stack.length > 1 ? stack.pop()! : 0) + 2;
      stack[stack.length - 1] += last;
    } else if (c === '{' && /^\{\d+(,\d*)?\}/.test(pattern.slice(i, i + 16))) {
      const [, low, high] = /^\{(\d+)(?:,(\d*))?\}/.exec(pattern.slice(i, i + 16))!;
      const times = Math.max(Number(low), high ? Number(high) : 0, 1);
      stack[stack.length - 1] += last * (times - 1) + times;
      last *= times;
      i = pattern.indexOf('}', i);
    } else {
      last = 2;
      stack[stack.length - 1] += last;
    }
    if (stack.some((size) => size > MAX_PATTERN_COST)) return Infinity;
  }
  return stack.reduce((a, b) => a + b, 0);
}

type Compiled = RE2JS | 'too costly' | 'invalid';
/** Compiled patterns, shared by every call: silences are asked for again and again. */
const compiled = new Map<string, Compiled>();
function compile(Re2: typeof RE2JS, pattern: string): Compiled {
  let hit = compiled.get(pattern);
  if (hit === undefined) {
    try {
      hit = patternCost(pattern) > MAX_PATTERN_COST ? 'too costly' : Re2.compile(`^(?:${pattern})$`);
    } catch {
      hit = 'invalid';
    }
    if (compiled.size >= 2000) compiled.delete(compiled.keys().next().value!);
    compiled.set(pattern, hit);
  }
  return hit;
}

/** Whether every matcher holds, as Alertmanager matches: =, !=, =~, !~ (regexes anchored); undefined when a regex cannot be evaluated. */
function matchesAll(Re2: typeof RE2JS, matchers: AmMatcher[], labels: Record<string, string>): boolean | undefined {
  let result: boolean | undefined = true;
  for (const m of matchers) {
    const value = labels[m.name] ?? '';
    let hit: boolean;
    if (m.isRegex) {
      const re = compile(Re2, m.value);
      if (typeof re === 'string') {
        result = undefined;
        continue;
      }
      hit = re.matches(value);
    } else hit = value === m.value;
    if ((m.isEqual === false ? !hit : hit) === false) return false;
  }
  return result;
}

export interface CoveringSilence {
  silence: SilenceWire;
  /** Alert names of the label sets it covers. */
  covers: string[];
}

/**
 * The active silences among a peer's answer that cover any of the label sets, each with the alert
 * names it covers; and what could not be judged (malformed entries, patterns too costly or not RE2,
 * the budget spent), said in one line each.
 */
export async function coveringSilences(answer: unknown, labelSets: Array<Record<string, string>>): Promise<{ covering: CoveringSilence[]; notes: string[] }> {
  const Re2 = await loadRe2();
  const list = Array.isArray(answer) ? answer.slice(0, MAX_SILENCES) : [];
  const covering: CoveringSilence[] = [];
  let malformed = 0;
  let unjudged = 0;
  let slice = performance.now();
  const started = slice;
  let index = 0;
  for (; index < list.length; index++) {
    if (performance.now() - slice > SLICE_MS) {
      if (performance.now() - started > EVALUATION_BUDGET_MS) break;
      await new Promise((resolve) => setImmediate(resolve));
      slice = performance.now();
    }
    const parsed = SilenceWireSchema.safeParse(list[index]);
    if (!parsed.success) {
      malformed++;
      continue;
    }
    if (parsed.data.status?.state !== 'active') continue;
    const judged = labelSets.map((labels) => ({ alertname: labels.alertname, hit: matchesAll(Re2, parsed.data.matchers, labels) }));
    if (judged.some((j) => j.hit === undefined) && !judged.some((j) => j.hit === true)) unjudged++;
    const covers = judged.filter((j) => j.hit === true).map((j) => j.alertname);
    if (covers.length > 0) covering.push({ silence: parsed.data, covers });
  }
  const notes = [
    ...(Array.isArray(answer) ? [] : ['the answer is not a list of silences']),
    ...(Array.isArray(answer) && answer.length > MAX_SILENCES ? [`only the first ${MAX_SILENCES} of ${answer.length} silences were read`] : []),
    ...(index < list.length ? [`${list.length - index} silences not evaluated: evaluating took more than ${EVALUATION_BUDGET_MS} ms`] : []),
    ...(malformed > 0 ? [`${malformed} malformed silences skipped`] : []),
    ...(unjudged > 0 ? [`${unjudged} silences with a regex too costly to evaluate, or not valid RE2, may also cover this node`] : []),
  ];
  return { covering, notes };
}
