// Prints the JSON Schemas of every MCP tool, exactly as the SDK advertises them in tools/list, as one
// JSON object {tool: {input, output}}. scripts/build.mjs inlines it into out/cli, so a client's
// first tools/list does not convert 19 zod schemas (~100 ms) at every MCP session start.
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import type { Core } from '../src/core/app-core';
import { createMcpServerFactory } from '../src/core/mcp/mcp-tools';

// The tools only read the core when called; listing them needs none of it.
const server = createMcpServerFactory({} as Core, { version: 'build', policy: 'deny', readOnly: false, transport: 'build' })();
const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
await server.connect(serverSide);
const client = new Client({ name: 'build', version: '1' });
await client.connect(clientSide);
const { tools } = await client.listTools();
process.stdout.write(JSON.stringify(Object.fromEntries(tools.map((t) => [t.name, { input: t.inputSchema, output: t.outputSchema ?? null }]))));
await client.close();
