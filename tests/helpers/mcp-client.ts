import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

export async function httpMcpClient(baseUrl: string, token: string): Promise<Client> {
  const client = new Client({ name: 'mco-tests', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${baseUrl}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return client;
}

export type ToolAnswer = { isError?: boolean; content: Array<{ type: string; text?: string }>; structuredContent?: Record<string, unknown> };

export async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<ToolAnswer> {
  return (await client.callTool({ name, arguments: args })) as ToolAnswer;
}

export const text = (answer: ToolAnswer): string => answer.content.map((c) => c.text ?? '').join('');

/** A client of a server built from source over an in-memory pair, with its own policy and transport name. */
export async function inMemoryMcpClient(core: import('../../src/core/app-core').Core, options: Partial<import('../../src/core/mcp/tool-table').McpToolOptions> = {}): Promise<Client> {
  const { InMemoryTransport } = await import('@modelcontextprotocol/client');
  const { createMcpServerFactory } = await import('../../src/core/mcp/mcp-tools');
  const client = new Client({ name: 'mco-tests', version: '1' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createMcpServerFactory(core, { version: 'x', policy: 'deny', readOnly: false, transport: 'test', ...options })().connect(serverSide);
  await client.connect(clientSide);
  return client;
}

/** The tools as tools/list shows them, from a server built from source (no core: listing needs none). */
export async function listToolsFromSource() {
  const client = await inMemoryMcpClient({} as import('../../src/core/app-core').Core);
  const { tools } = await client.listTools();
  await client.close();
  return tools;
}
