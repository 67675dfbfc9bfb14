import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listToolsFromSource } from '../helpers/mcp-client';

// Issue 32, finding 22: the README's MCP section names every tool the server serves, and counts them right.
const NUMBERS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty', 'twenty-one', 'twenty-two', 'twenty-three', 'twenty-four', 'twenty-five', 'twenty-six', 'twenty-seven', 'twenty-eight', 'twenty-nine', 'thirty', 'thirty-one', 'thirty-two', 'thirty-three', 'thirty-four', 'thirty-five'];

describe('the README on MCP tools', () => {
  it('lists exactly the tools served, with their number in words', async () => {
    const served = (await listToolsFromSource()).map((t) => t.name).sort();
    const readme = fs.readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## MCP: let an LLM agent look and act'));
    const paragraph = section.slice(section.indexOf('\n\n') + 2, section.indexOf('; resources'));
    const listed = [...paragraph.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]).sort();
    expect(listed).toEqual(served);
    expect(paragraph.split(' ')[0].toLowerCase()).toBe(NUMBERS[served.length]);
  });
});

// Issue 39, finding 1: the README's table of acting tools says, for each, its scope and what `ask` and `deny` do.
describe('the README on the command policy', () => {
  it('lists every acting tool with the scope, ask and deny behaviour the server applies', async () => {
    const { createMcpServerFactory } = await import('../../src/core/mcp/mcp-tools');
    const factory = createMcpServerFactory({} as import('../../src/core/app-core').Core, { version: 'x', policy: 'deny', readOnly: false, transport: 'test' });
    factory();
    const acting = (await listToolsFromSource()).filter((t) => !t.annotations?.readOnlyHint).map((t) => t.name);
    const readme = fs.readFileSync('README.md', 'utf8');
    const table = readme.slice(readme.indexOf('| Acting tool |'));
    const rows = table.slice(0, table.indexOf('\n\n')).split('\n').slice(2).map((row) => row.split('|').slice(1, -1).map((cell) => cell.trim()));
    expect(rows.map(([tool]) => tool.replace(/`/g, '')).sort()).toEqual([...acting].sort());
    for (const [tool, scope, ask, deny] of rows) {
      const name = tool.replace(/`/g, '');
      expect([scope, ask, deny], name).toEqual([factory.toolScope(name), factory.toolPolicy(name)!.ask, factory.toolPolicy(name)!.deny]);
    }
  });
});
