import { describe, expect, it } from 'vitest';
import { MAX_PATTERN_COST, coveringSilences, patternCost } from '../../src/core/alerts/alertmanager/silence-matcher';

// Issue 39, finding 2: silences are evaluated as Alertmanager evaluates them (RE2), at a bounded cost.
const labels = [
  { alertname: 'NodeDown', node: 'web-1', role: 'worker', severity: 'critical' },
  { alertname: 'HostKeyChanged', node: 'web-1', role: 'worker', severity: 'warning' },
];
const silence = (id: string, matchers: Array<{ name: string; value: string; isRegex: boolean; isEqual?: boolean }>) => ({ id, status: { state: 'active' }, matchers });

describe('which silences cover a node', () => {
  it('matches =, !=, =~ and !~ anchored, with RE2 syntax', async () => {
    const { covering, notes } = await coveringSilences(
      [
        silence('eq', [{ name: 'node', value: 'web-1', isRegex: false }]),
        silence('re', [{ name: 'alertname', value: 'Node.*', isRegex: true }]),
        silence('unanchored', [{ name: 'alertname', value: 'Node', isRegex: true }]),
        silence('nre', [{ name: 'alertname', value: 'NodeDown', isRegex: true, isEqual: false }, { name: 'node', value: 'web-\\d', isRegex: true }]),
        silence('ne', [{ name: 'node', value: 'web-1', isRegex: false, isEqual: false }]),
        silence('flags', [{ name: 'alertname', value: '(?i)nodedown', isRegex: true }]),
        { ...silence('expired', [{ name: 'node', value: 'web-1', isRegex: false }]), status: { state: 'expired' } },
      ],
      labels,
    );
    expect(covering.map((c) => [c.silence.id, c.covers])).toEqual([
      ['eq', ['NodeDown', 'HostKeyChanged']],
      ['re', ['NodeDown']],
      ['nre', ['HostKeyChanged']],
      ['flags', ['NodeDown']],
    ]);
    expect(notes).toEqual([]);
  });

  it('evaluates patterns that backtrack for minutes in JavaScript, and names those it will not compile', async () => {
    const hostile = ['(.*){18}!', '(a+)+$', '(x+x+)+y', '(.*){1000}x', '[\\s\\S]{1000}', '(((.*){10}){10}){10}', '\\pL{1000}'];
    const { covering, notes } = await coveringSilences(hostile.map((value, i) => silence(`h${i}`, [{ name: 'alertname', value, isRegex: true }])), labels);
    expect(covering).toEqual([]);
    expect(notes).toEqual(['4 silences with a regex too costly to evaluate, or not valid RE2, may also cover this node']);
    for (const costly of hostile.slice(3)) expect(patternCost(costly), costly).toBeGreaterThan(MAX_PATTERN_COST);
    for (const plain of ['node-(0[1-9]|1[0-7])', '[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}', '.{0,100}', '\\Qa.b\\E']) expect(patternCost(plain), plain).toBeLessThan(MAX_PATTERN_COST);
  });

  it('skips malformed entries, and says what it could not read', async () => {
    const { covering, notes } = await coveringSilences([null, { matchers: 'x' }, 42, { id: 7 }, silence('ok', [{ name: 'node', value: 'web-1', isRegex: false }])], labels);
    expect(covering.map((c) => c.silence.id)).toEqual(['ok']);
    expect(notes).toEqual(['4 malformed silences skipped']);
    expect((await coveringSilences({ not: 'a list' }, labels)).notes).toEqual(['the answer is not a list of silences']);
  });
});
