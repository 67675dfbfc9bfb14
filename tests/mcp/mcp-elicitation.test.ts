import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { call, text } from '../helpers/mcp-client';
import { tempDir } from '../helpers/temp-dir';
import { nodeInput } from '../helpers/nodes';

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
