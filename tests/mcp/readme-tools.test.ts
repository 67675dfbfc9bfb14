import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listToolsFromSource } from '../helpers/mcp-client';

// Issue 32, finding 22: the README's MCP section names every tool the server serves, and counts them right.
const NUMBERS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty', 'twenty-one', 'twenty-two', 'twenty-three', 'twenty-four', 'twenty-five', 'twenty-six', 'twenty-seven', 'twenty-eight', 'twenty-nine', 'thirty'];

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
