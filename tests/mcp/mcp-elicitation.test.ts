import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { call, text } from '../helpers/mcp-client';
import { tempDir } from '../helpers/temp-dir';
import { nodeInput } from '../helpers/nodes';
import { startTestService, TEST_TOKEN } from '../helpers/service';

// Issue 27: under MCP_COMMAND_POLICY=ask, the stdio server (as Claude Code or Cursor launch it) asks
// the person at the client through MCP elicitation. Nodes on 127.82.0.x (never probed: 1 h interval).
const BIN = path.resolve('bin/mcp-orchestrator.mjs');
const clients: Client[] = [];
afterAll(async () => {
  for (const c of clients) await c.close();
});

type Answer = 'accept' | 'decline' | 'never' | null;

/** A stdio client named `name` whose person answers every question with `answer` (null: it cannot be asked). */
async function clientAsking(name: string, answer: Answer, dataDir: string, questions: string[] = []): Promise<Client> {
  const client = new Client({ name, version: '1.0.0' }, answer ? { capabilities: { elicitation: { form: {} } } } : {});
  if (answer) {
    client.setRequestHandler('elicitation/create', async (request) => {
      questions.push(request.params.message);
      if (answer === 'never') return new Promise(() => {});
      return answer === 'accept' ? { action: 'accept', content: { allow: true } } : { action: 'decline' };
    });
  }
  const env = { ...(process.env as Record<string, string>), DATA_DIR: dataDir, MCP_COMMAND_POLICY: 'ask', MCP_ASK_TIMEOUT: '1', HEALTH_CHECK_INTERVAL: '3600' };
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp'], env, stderr: 'pipe' }));
  clients.push(client);
  const added = await call(client, 'add_node', nodeInput('n-1', { tailscale_ip: `127.82.0.${clients.length}` }));
  expect(added.isError, text(added)).toBeFalsy();
  return client;
}

const auditOf = (dataDir: string) =>
  fs.readFileSync(path.join(dataDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { actor: string; action: string; outcome: string });
const nodeIds = async (client: Client) => ((await call(client, 'list_nodes')).structuredContent!.nodes as Array<{ id: string }>).map((n) => n.id);

describe('MCP elicitation under MCP_COMMAND_POLICY=ask (stdio)', () => {
  it('a person who accepts lets remove_node remove the node; the question names the tool, the node and the change', async () => {
    const dataDir = tempDir();
    const questions: string[] = [];
    const client = await clientAsking('accepting-client', 'accept', dataDir, questions);
    const removed = await call(client, 'remove_node', { id: 'n-1' });
    expect(removed.isError, text(removed)).toBeFalsy();
    expect(await nodeIds(client)).toEqual([]);
    expect(questions).toEqual(['An agent at accepting-client asks to run remove_node on n-1: remove from the registry. Allow it?']);
    expect(auditOf(dataDir)).toContainEqual(expect.objectContaining({ actor: 'mcp:stdio', action: 'remove_node', outcome: 'allowed by the person at accepting-client (elicitation)' }));
  }, 30_000);

  it('a person who declines keeps the node, and the agent is told so', async () => {
    const dataDir = tempDir();
    const client = await clientAsking('declining-client', 'decline', dataDir);
    const refused = await call(client, 'remove_node', { id: 'n-1' });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toContain('declined by the person at the client (declining-client)');
    expect(await nodeIds(client)).toEqual(['n-1']);
    expect(auditOf(dataDir)).toContainEqual(expect.objectContaining({ action: 'remove_node', outcome: expect.stringContaining('declined by the person at the client (declining-client)') }));
  }, 30_000);

  it('no answer within MCP_ASK_TIMEOUT refuses the call', async () => {
    const dataDir = tempDir();
    const client = await clientAsking('silent-client', 'never', dataDir);
    const started = Date.now();
    const refused = await call(client, 'remove_node', { id: 'n-1' });
    expect(text(refused)).toContain('No answer from the person at silent-client within 1 s');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(await nodeIds(client)).toEqual(['n-1']);
    expect(auditOf(dataDir)).toContainEqual(expect.objectContaining({ action: 'remove_node', outcome: expect.stringContaining('No answer from the person at silent-client') }));
  }, 30_000);

  it('a client that cannot ask a person is refused with the reason and the setting that would allow it', async () => {
    const dataDir = tempDir();
    const client = await clientAsking('plain-client', null, dataDir);
    const refused = await call(client, 'run_command', { node_ids: ['n-1'], command: 'uptime' });
    expect(text(refused)).toMatch(/plain-client cannot ask a person \(it does not support MCP elicitation\).*MCP_COMMAND_POLICY=allow/);
    expect(auditOf(dataDir)).toContainEqual(expect.objectContaining({ action: 'run_command', outcome: expect.stringContaining('plain-client cannot ask a person') }));
  }, 30_000);
});

describe('MCP elicitation under MCP_COMMAND_POLICY=ask (Streamable HTTP)', () => {
  // /mcp is stateless: a 2026-07-28 client is asked in the call's input_required answer and retries
  // with the person's; a 2025-era client cannot be reached there and is told why.
  let service: Awaited<ReturnType<typeof startTestService>>;
  afterAll(async () => service?.close());

  async function httpClient(name: string, answer: Answer | 'late', modern = true, questions: string[] = []): Promise<Client> {
    service ??= await startTestService({ HOST: '127.82.1.1', MCP_COMMAND_POLICY: 'ask', MCP_ASK_TIMEOUT: 1 });
    const options = { ...(answer ? { capabilities: { elicitation: { form: {} } } } : {}), ...(modern ? { versionNegotiation: { mode: 'auto' } } : {}) };
    const client = new Client({ name, version: '1.0.0' }, options as ConstructorParameters<typeof Client>[1]);
    if (answer) {
      client.setRequestHandler('elicitation/create', async (request) => {
        questions.push(request.params.message);
        if (answer === 'late') await new Promise((r) => setTimeout(r, 2200));
        return answer === 'decline' ? { action: 'decline' } : { action: 'accept', content: { allow: true } };
      });
    }
    await client.connect(new StreamableHTTPClientTransport(new URL(`${service.url}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${TEST_TOKEN}` } } }));
    clients.push(client);
    return client;
  }
  const auditEntries = async () => (await service.call('GET', '/cluster/audit')).body.entries as Array<{ actor: string; action: string; outcome: string; nodes: string[] }>;

  it('accept removes the node, decline keeps it, a late answer is refused, and each outcome is audited', async () => {
    const questions: string[] = [];
    const accepting = await httpClient('http-accepting', 'accept', true, questions);
    for (const id of ['h-1', 'h-2', 'h-3']) service.core.registry.create(nodeInput(id, { tailscale_ip: `127.82.1.${10 + Number(id.at(-1))}` }));
    const removed = await call(accepting, 'remove_node', { id: 'h-1' });
    expect(removed.isError, text(removed)).toBeFalsy();
    expect(service.core.registry.get('h-1')).toBeUndefined();
    expect(questions).toEqual(['An agent at http-accepting asks to run remove_node on h-1: remove from the registry. Allow it?']);

    const declining = await httpClient('http-declining', 'decline');
    const refused = await call(declining, 'remove_node', { id: 'h-2' });
    expect(text(refused)).toContain('declined by the person at the client (http-declining)');
    expect(service.core.registry.get('h-2')).toBeDefined();

    const late = await httpClient('http-late', 'late');
    expect(text(await call(late, 'remove_node', { id: 'h-2' }))).toContain('No answer from the person at http-late within 1 s');
    expect(service.core.registry.get('h-2')).toBeDefined();

    const outcomes = (await auditEntries()).filter((e) => e.action === 'remove_node').map((e) => `${e.actor} ${e.nodes.join()} ${e.outcome}`);
    expect(outcomes).toEqual(
      expect.arrayContaining([
        'mcp:http:admin h-1 allowed by the person at http-accepting (elicitation)',
        expect.stringMatching(/^mcp:http:admin h-2 forbidden: remove_node on h-2: remove from the registry: declined by the person at the client \(http-declining\)/),
        expect.stringMatching(/^mcp:http:admin h-2 forbidden: No answer from the person at http-late within 1 s/),
      ]),
    );
  }, 30_000);

  it('an answer cannot be forged: a retry with a state this server never sealed is refused', async () => {
    const modern = await httpClient('http-forger', 'accept');
    // By hand: a retry that claims acceptance with a state this server never sealed.
    const forged = await modern.request({ method: 'tools/call', params: { name: 'remove_node', arguments: { id: 'h-3' }, inputResponses: { allow: { action: 'accept', content: { allow: true } } }, requestState: 'forged' } } as never).catch((e: Error) => e);
    expect(JSON.stringify(forged)).toContain('The answer from http-forger was not one this server asked for');
    expect(service.core.registry.get('h-3')).toBeDefined();
  });

  it('a 2025-era client over HTTP cannot be asked there, and is told which setting would allow the action', async () => {
    const legacy = await httpClient('http-legacy', 'accept', false);
    expect(text(await call(legacy, 'remove_node', { id: 'h-3' }))).toMatch(/cannot ask a person \(over HTTP, only a client speaking MCP 2026-07-28 can be asked.*MCP_COMMAND_POLICY=allow/);
    expect(service.core.registry.get('h-3')).toBeDefined();
  });
});
