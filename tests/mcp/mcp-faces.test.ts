import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client, InMemoryTransport, ResourceNotFoundError } from '@modelcontextprotocol/client';
import { createCore, type Core } from '../../src/core/app-core';
import { createMcpServerFactory } from '../../src/core/mcp/mcp-tools';
import type { CommandPolicy } from '../../src/shared/schemas/mcp';
import { MonitorSettingsSchema } from '../../src/shared/schemas/settings';
import { call, text } from '../helpers/mcp-client';
import { nodeInput } from '../helpers/nodes';
import { tempDir } from '../helpers/temp-dir';

// What the MCP face says about itself: notifications it advertises, protocol errors, annotations,
// uniform field errors, and the command policy over fields that silence monitoring.
let core: Core;
const open: Client[] = [];
beforeAll(() => {
  core = createCore({ dataDir: tempDir(), settings: MonitorSettingsSchema.parse({}), ssh: { metricsIntervalMs: 0 } });
});
afterEach(async () => {
  for (const client of open.splice(0)) await client.close();
});
afterAll(() => core.close());

async function connect(policy: CommandPolicy, onResourcesChanged?: (uris: string[]) => void): Promise<Client> {
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await createMcpServerFactory(core, { version: 'test', policy, readOnly: false, transport: 'memory' })().connect(serverTransport);
  const client = new Client(
    { name: 'faces', version: '1' },
    onResourcesChanged ? { listChanged: { resources: { onChanged: (error, resources) => !error && onResourcesChanged((resources ?? []).map((r) => r.uri)) } } } : {},
  );
  await client.connect(clientTransport);
  open.push(client);
  return client;
}

describe('MCP resources', () => {
  it('sends notifications/resources/list_changed when nodes are added or removed, as it advertises', async () => {
    const lists: string[][] = [];
    const client = await connect('deny', (uris) => lists.push(uris));
    expect(client.getServerCapabilities()?.resources?.listChanged).toBe(true);
    core.registry.create(nodeInput('lc-1'));
    await expect.poll(() => lists.at(-1)).toEqual(expect.arrayContaining(['node://lc-1']));
    const heard = lists.length;
    core.registry.update('lc-1', { description: 'an update changes no list' });
    core.registry.remove('lc-1');
    await expect.poll(() => lists.at(-1)?.includes('node://lc-1')).toBe(false);
    expect(lists.length).toBe(heard + 1);
  });

  // The issue asked for -32002. SEP-2164 (final) replaced it with -32602 carrying data.uri, and the SDK
  // maps a thrown -32002 to that on every protocol era; clients recognise both as "not found".
  it('answers an unknown resource as "resource not found" (SEP-2164: -32602 with data.uri), not an internal error', async () => {
    const client = await connect('deny');
    for (const uri of ['node://no-such-node', 'nothing://at-all']) {
      const error = await client.readResource({ uri }).then(() => null, (e: unknown) => e);
      expect(error, uri).toBeInstanceOf(ResourceNotFoundError);
      expect(error, uri).toMatchObject({ code: -32602, data: { uri } });
    }
    core.registry.create(nodeInput('res-1'));
    expect((await client.readResource({ uri: 'node://res-1' })).contents[0]).toMatchObject({ uri: 'node://res-1' });
    core.registry.remove('res-1');
  });
});

describe('MCP tools', () => {
  it('annotates update_node and import_tailscale as destructive, and states the command selector rule', async () => {
    const { tools } = await (await connect('deny')).listTools();
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(byName.update_node.annotations).toMatchObject({ destructiveHint: true, readOnlyHint: false });
    expect(byName.import_tailscale.annotations).toMatchObject({ destructiveHint: true, readOnlyHint: false });
    expect(byName.import_tailscale.description).toMatch(/dry_run/);
    // The selector rule in words: a top-level oneOf would make Anthropic's API refuse every tool.
    expect(byName.run_command.inputSchema).toMatchObject({ description: expect.stringMatching(/Exactly one of node_ids, role or tag/) });
    for (const field of ['node_ids', 'role', 'tag']) expect(byName.run_command.inputSchema.properties?.[field]).toMatchObject({ description: expect.stringMatching(/Exactly one of/) });
    for (const t of tools) for (const keyword of ['oneOf', 'anyOf', 'allOf']) expect(t.inputSchema, `${t.name} ${keyword}`).not.toHaveProperty(keyword);
  });

  it('reads missing-field errors the same in every tool', async () => {
    const client = await connect('allow');
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['get_node', {}, 'id'],
      ['get_metrics', {}, 'id'],
      ['remove_node', {}, 'id'],
      ['update_node', { description: 'x' }, 'id'],
      ['add_node', { hostname: 'h', tailscale_ip: '127.54.2.1', role: 'worker', cpu_cores: 1, memory_gb: 1 }, 'id'],
      ['add_node', { id: 'mf-1', tailscale_ip: '127.54.2.1', role: 'worker', cpu_cores: 1, memory_gb: 1 }, 'hostname'],
      ['run_command', { node_ids: ['x'] }, 'command'],
    ];
    for (const [tool, args, field] of cases) {
      const answer = await call(client, tool, args);
      expect(answer.isError, tool).toBe(true);
      expect(text(answer), tool).toContain(`${field}: is required`);
    }
  });

  it('puts ssh.key_path, maintenance and muted_until under the command policy (deny refuses, allow applies)', async () => {
    core.registry.create(nodeInput('pol-1'));
    const deny = await connect('deny');
    const muted = new Date(Date.now() + 3600_000).toISOString();
    for (const patch of [{ ssh: { key_path: '/dev/zero' } }, { maintenance: true }, { muted_until: muted }]) {
      const answer = await call(deny, 'update_node', { id: 'pol-1', ...patch });
      expect(text(answer), JSON.stringify(patch)).toMatch(/^forbidden: .*policy \(deny\)/);
    }
    expect(core.registry.get('pol-1')).toMatchObject({ maintenance: false });
    expect(core.registry.get('pol-1')?.ssh).toBeUndefined();
    expect(core.registry.get('pol-1')?.muted_until ?? null).toBeNull();
    const added = await call(deny, 'add_node', { ...nodeInput('pol-2'), ssh: { key_path: '/etc/shadow' } });
    expect(text(added)).toMatch(/^forbidden: /);
    expect(core.registry.get('pol-2')).toBeUndefined();
    // Fields that silence nothing still work under deny.
    expect((await call(deny, 'update_node', { id: 'pol-1', description: 'fine', maintenance: false })).isError).toBeFalsy();

    const allow = await connect('allow');
    const applied = await call(allow, 'update_node', { id: 'pol-1', maintenance: true, muted_until: muted, ssh: { key_path: '/home/op/.ssh/id_ed25519' } });
    expect(applied.isError).toBeFalsy();
    expect(core.registry.get('pol-1')).toMatchObject({ maintenance: true, muted_until: muted, ssh: { key_path: '/home/op/.ssh/id_ed25519' } });
  });

  it('applies the shared text rules to add_node', async () => {
    const answer = await call(await connect('allow'), 'add_node', nodeInput('txt-mcp', { hostname: 'a\u200bb' }));
    expect(text(answer)).toMatch(/^validation_error: .*hostname: must not contain spaces, control, bidi or zero-width/);
  });

  it('audits a call whose arguments nest 5,000 deep, and refuses it', async () => {
    const client = await connect('deny');
    let deep: unknown = 1;
    for (let i = 0; i < 5000; i++) deep = [deep];
    const before = core.ssh.audit.list(5000).length;
    const answer = await call(client, 'import_tailscale', { dry_run: true, document: { Peer: deep } });
    expect(answer.isError).toBe(true);
    expect(text(answer)).toMatch(/^validation_error: .*nest deeper than 32/);
    const entries = core.ssh.audit.list(5000);
    expect(entries.length).toBe(before + 1);
    expect(entries.at(-1)).toMatchObject({ action: 'import_tailscale', outcome: expect.stringMatching(/^validation_error/) });
    expect(entries.at(-1)!.detail.length).toBeLessThanOrEqual(501);
  });
});
