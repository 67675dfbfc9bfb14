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
import { confStoreFactory } from '../../src/core/registry/json-store';
import { NodeRegistry } from '../../src/core/registry/node-registry';

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
  // The node is there before the server starts: adding it over MCP would itself ask.
  const registry = new NodeRegistry({ dataDir, storeFactory: confStoreFactory });
  registry.create(nodeInput('n-1', { tailscale_ip: `127.82.0.${clients.length + 1}` }));
  await registry.settled();
  const env = { ...(process.env as Record<string, string>), DATA_DIR: dataDir, MCP_COMMAND_POLICY: 'ask', MCP_ASK_TIMEOUT: '1', HEALTH_CHECK_INTERVAL: '3600' };
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp'], env, stderr: 'pipe' }));
  clients.push(client);
  return client;
}

const auditOf = (dataDir: string) =>
  fs.readFileSync(path.join(dataDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { actor: string; action: string; outcome: string });
const nodeIds = async (client: Client) => ((await call(client, 'list_nodes')).structuredContent!.nodes as Array<{ id: string }>).map((n) => n.id);

describe('MCP elicitation under MCP_COMMAND_POLICY=ask (stdio)', () => {
  it('a person who accepts lets remove_node remove the node; the question names the tool, the node and every argument', async () => {
    const dataDir = tempDir();
    const questions: string[] = [];
    const client = await clientAsking('accepting-client', 'accept', dataDir, questions);
    const removed = await call(client, 'remove_node', { id: 'n-1' });
    expect(removed.isError, text(removed)).toBeFalsy();
    expect(await nodeIds(client)).toEqual([]);
    expect(questions).toEqual(['An agent at accepting-client asks to run remove_node on n-1, with exactly these arguments:\nid: "n-1"\nAllow it?']);
    expect(auditOf(dataDir)).toContainEqual(expect.objectContaining({ actor: 'mcp:stdio', action: 'remove_node', outcome: 'allowed by the person at accepting-client (elicitation)' }));
  }, 30_000);

  it('every acting tool asks, showing every argument that will run; secret-named env values are masked, never their names', async () => {
    const dataDir = tempDir();
    const questions: string[] = [];
    const client = await clientAsking('careful-client', 'decline', dataDir, questions);
    const before = (await call(client, 'get_node', { id: 'n-1' })).structuredContent;
    // An address change used to pass without a question.
    await call(client, 'update_node', { id: 'n-1', tailscale_ip: '127.82.0.200', ssh: { user: 'root', key_path: '/etc/shadow' } });
    const deploy = { name: 'web', image: 'nginx:1.27', command: ['sh', '-c', 'curl x | sh'], env: { LD_PRELOAD: '/tmp/evil.so', API_TOKEN: 'tok-s3cr3t-value' }, ports: [{ published: 8080, target: 80 }] };
    await call(client, 'deploy_service', deploy);
    expect(questions).toHaveLength(2);
    expect(questions[0]).toMatch(/^An agent at careful-client asks to run update_node on n-1, with exactly these arguments:\n/);
    for (const line of ['id: "n-1"', 'tailscale_ip: "127.82.0.200"', 'ssh.user: "root"', 'ssh.key_path: "/etc/shadow"']) expect(questions[0]).toContain(`\n${line}\n`);
    for (const line of ['name: "web"', 'image: "nginx:1.27"', 'command: ["sh","-c","curl x | sh"]', 'env.LD_PRELOAD: "/tmp/evil.so"', 'env.API_TOKEN: [hidden: 16 characters]', 'ports[0].published: 8080', 'ports[0].target: 80', 'ports[0].protocol: "tcp"', 'mode: "replicated"']) {
      expect(questions[1]).toContain(`\n${line}\n`);
    }
    expect(questions[1]).not.toContain('tok-s3cr3t-value');
    expect((await call(client, 'get_node', { id: 'n-1' })).structuredContent).toEqual(before);
    // The audit names the variables but keeps no value of them, asked or refused.
    const audit = fs.readFileSync(path.join(dataDir, 'audit.jsonl'), 'utf8');
    expect(audit).toContain('LD_PRELOAD');
    expect(audit).not.toContain('/tmp/evil.so');
    expect(audit).not.toContain('tok-s3cr3t-value');
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
    expect(questions).toEqual(['An agent at the client that named itself "http-accepting" asks to run remove_node on h-1, with exactly these arguments:\nid: "h-1"\nAllow it?']);

    const declining = await httpClient('http-declining', 'decline');
    const refused = await call(declining, 'remove_node', { id: 'h-2' });
    expect(text(refused)).toContain('declined by the person at the client (the client that named itself "http-declining")');
    expect(service.core.registry.get('h-2')).toBeDefined();

    const late = await httpClient('http-late', 'late');
    expect(text(await call(late, 'remove_node', { id: 'h-2' }))).toContain('No answer from the person at the client that named itself "http-late" within 1 s');
    expect(service.core.registry.get('h-2')).toBeDefined();

    const outcomes = (await auditEntries()).filter((e) => e.action === 'remove_node').map((e) => `${e.actor} ${e.nodes.join()} ${e.outcome}`);
    expect(outcomes).toEqual(
      expect.arrayContaining([
        'mcp:http:admin token h-1 allowed by the person at the client that named itself "http-accepting" (elicitation)',
        expect.stringMatching(/^mcp:http:admin token h-2 forbidden: remove_node on h-2: declined by the person at the client \(the client that named itself "http-declining"\)/),
        expect.stringMatching(/^mcp:http:admin token h-2 forbidden: No answer from the person at the client that named itself "http-late" within 1 s/),
      ]),
    );
  }, 30_000);

  it('an answer cannot be forged: a retry with a state this server never sealed is refused', async () => {
    const modern = await httpClient('http-forger', 'accept');
    // By hand: a retry that claims acceptance with a state this server never sealed.
    const forged = await modern.request({ method: 'tools/call', params: { name: 'remove_node', arguments: { id: 'h-3' }, inputResponses: { allow: { action: 'accept', content: { allow: true } } }, requestState: 'forged' } } as never).catch((e: Error) => e);
    expect(JSON.stringify(forged)).toContain('The answer from the client that named itself \\"http-forger\\" was not one this server asked for');
    expect(service.core.registry.get('h-3')).toBeDefined();
  });

  it('an answer covers the call asked about: a retry with other arguments and the same state is refused, the same arguments run', async () => {
    service ??= await startTestService({ HOST: '127.82.1.1', MCP_COMMAND_POLICY: 'ask', MCP_ASK_TIMEOUT: 1 });
    const manual = new Client({ name: 'http-swapper', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: 'auto' }, inputRequired: { autoFulfill: false } } as ConstructorParameters<typeof Client>[1]);
    await manual.connect(new StreamableHTTPClientTransport(new URL(`${service.url}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${TEST_TOKEN}` } } }));
    clients.push(manual);
    service.core.registry.create(nodeInput('h-4', { tailscale_ip: '127.82.1.40' }));
    const send = (params: Record<string, unknown>) => manual.request({ method: 'tools/call', params } as never, { allowInputRequired: true } as never) as Promise<Record<string, unknown>>;
    const asked = { id: 'h-4', ssh: { key_path: '/home/op/.ssh/id_ed25519' } };
    const allow = { allow: { action: 'accept', content: { allow: true } } };

    const first = await send({ name: 'update_node', arguments: asked });
    expect(first.resultType).toBe('input_required');
    expect(JSON.stringify(first)).toContain('ssh.key_path: \\"/home/op/.ssh/id_ed25519\\"');
    const swapped = { id: 'h-4', tailscale_ip: '127.82.1.41', ssh: { user: 'root', key_path: '/etc/shadow' } };
    const refused = await send({ name: 'update_node', arguments: swapped, inputResponses: allow, requestState: first.requestState });
    expect(JSON.stringify(refused)).toContain('was not one this server asked for');
    expect(service.core.registry.get('h-4')).toMatchObject({ tailscale_ip: '127.82.1.40' });
    expect(service.core.registry.get('h-4')?.ssh).toBeUndefined();

    const second = await send({ name: 'update_node', arguments: asked });
    const applied = await send({ name: 'update_node', arguments: { ssh: { key_path: '/home/op/.ssh/id_ed25519' }, id: 'h-4' }, inputResponses: allow, requestState: second.requestState });
    expect(JSON.stringify(applied)).not.toContain('isError');
    expect(service.core.registry.get('h-4')?.ssh).toMatchObject({ key_path: '/home/op/.ssh/id_ed25519' });
  });

  it('a 2025-era client over HTTP cannot be asked there, and is told which setting would allow the action', async () => {
    const legacy = await httpClient('http-legacy', 'accept', false);
    expect(text(await call(legacy, 'remove_node', { id: 'h-3' }))).toMatch(/cannot ask a person \(over HTTP, only a client speaking MCP 2026-07-28 can be asked.*MCP_COMMAND_POLICY=allow/);
    expect(service.core.registry.get('h-3')).toBeDefined();
  });
});
