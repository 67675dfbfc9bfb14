import { describe, expect, it } from 'vitest';
import { listToolsFromSource } from '../helpers/mcp-client';

// Issue 32, finding 20: the tools' JSON Schemas as strict clients read them (MCP Inspector --strict):
// no bare boolean where a schema is expected (a tuple's `items: false`), no prefixItems.
const SCHEMA_KEYS = ['items', 'not', 'contains', 'propertyNames', 'if', 'then', 'else', 'additionalItems', 'unevaluatedItems'];
const SCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];

function problems(schema: unknown, at: string): string[] {
  if (!schema || typeof schema !== 'object') return [];
  const node = schema as Record<string, unknown>;
  const found: string[] = [];
  if ('prefixItems' in node) found.push(`${at}/prefixItems`);
  for (const key of SCHEMA_KEYS) if (typeof node[key] === 'boolean') found.push(`${at}/${key}: ${node[key]}`);
  for (const key of SCHEMA_LISTS) if (Array.isArray(node[key])) (node[key] as unknown[]).forEach((s, i) => typeof s === 'boolean' && found.push(`${at}/${key}/${i}: ${s}`));
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' || key === '$defs' || key === 'definitions' || key === 'patternProperties') for (const [name, sub] of Object.entries(value as object)) found.push(...problems(sub, `${at}/${key}/${name}`));
    else if (Array.isArray(value)) value.forEach((sub, i) => found.push(...problems(sub, `${at}/${key}/${i}`)));
    else if (typeof value === 'object') found.push(...problems(value, `${at}/${key}`));
  }
  return found;
}

describe('MCP tool schemas', () => {
  it('hold no bare boolean schema and no prefixItems, in any input or output schema', async () => {
    const tools = await listToolsFromSource();
    const found = tools.flatMap((t) => [...problems(t.inputSchema, `${t.name}/input`), ...problems(t.outputSchema, `${t.name}/output`)]);
    expect(found).toEqual([]);
    expect(problems({ type: 'array', prefixItems: [{}], items: false }, 'tuple')).toEqual(['tuple/prefixItems', 'tuple/items: false']);
  });
});
