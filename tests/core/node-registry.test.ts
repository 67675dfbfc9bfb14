import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { OrchestratorError } from '../../src/shared/errors';
import { confStoreFactory } from '../../src/core/registry/json-store';
import { FOLDING_FILE, JOURNAL_FILE, NodeRegistry } from '../../src/core/registry/node-registry';
import { nodeInput } from '../helpers/nodes';
import { tempDir } from '../helpers/temp-dir';

const open = (dataDir: string, onRecovery = vi.fn()) => new NodeRegistry({ dataDir, storeFactory: confStoreFactory, onRecovery });

function thrown(fn: () => unknown): OrchestratorError {
  try {
    fn();
  } catch (error) {
    return error as OrchestratorError;
  }
  throw new Error('expected an error');
}

describe('NodeRegistry', () => {
  it('creates, reads, updates partially and deletes, emitting change events', () => {
    const registry = open(tempDir());
    const events: string[] = [];
    registry.events.on('change', (c) => events.push(`${c.type}:${c.node.id}`));
    registry.create(nodeInput('n1', { tags: ['a'], description: 'first' }));
    const updated = registry.update('n1', { hostname: 'renamed' });
    expect(updated).toMatchObject({ hostname: 'renamed', tags: ['a'], description: 'first', cpu_cores: 4 });
    expect(registry.get('n1')?.hostname).toBe('renamed');
    registry.remove('n1');
    expect(registry.get('n1')).toBeUndefined();
    expect(events).toEqual(['added:n1', 'updated:n1', 'removed:n1']);
  });

  it('refuses a duplicate id, an unknown id, an id change and a bad patch without changing anything', () => {
    const registry = open(tempDir());
    registry.create(nodeInput('n1'));
    expect(thrown(() => registry.create(nodeInput('n1'))).code).toBe('conflict');
    expect(thrown(() => registry.update('nope', { hostname: 'x' })).code).toBe('not_found');
    expect(thrown(() => registry.remove('nope')).code).toBe('not_found');
    const idChange = thrown(() => registry.update('n1', { id: 'n2' }));
    expect(idChange.details[0].field).toBe('id');
    const bad = thrown(() => registry.update('n1', { memory_gb: -1, hostname: 'ok' }));
    expect(bad.code).toBe('validation_error');
    expect(bad.details.map((d) => d.field)).toEqual(['memory_gb']);
    expect(registry.get('n1')?.hostname).toBe('n1-host');
  });

  it('refuses a second node at an address, however it is written, naming the node that has it', () => {
    const registry = open(tempDir());
    registry.create(nodeInput('v6', { tailscale_ip: 'fd7a:115c:0::5' }));
    registry.create(nodeInput('named', { tailscale_ip: 'Box.tail1.ts.net' }));
    for (const [address, owner] of [['FD7A:115C::5', 'v6'], ['box.tail1.ts.net.', 'named']]) {
      const error = thrown(() => registry.create(nodeInput('dup', { tailscale_ip: address })));
      expect(error.code).toBe('conflict');
      expect(error.details).toEqual([{ field: 'tailscale_ip', message: `is already used by node "${owner}"` }]);
    }
    expect(thrown(() => registry.update('named', { tailscale_ip: 'fd7a:115c::5' })).details[0].message).toBe('is already used by node "v6"');
    expect(thrown(() => registry.applyNodes([{ ...registry.require('named'), id: 'copy' }])).code).toBe('conflict');
    expect(registry.all().map((n) => n.id)).toEqual(['v6', 'named']);
  });

  it('lets machines behind one address differ by SSH port (port forwards; the demo where only 127.0.0.1 exists), and no more', () => {
    const registry = open(tempDir());
    registry.create(nodeInput('a', { tailscale_ip: '127.0.0.1', ssh: { port: 2222 } }));
    registry.create(nodeInput('b', { tailscale_ip: '127.0.0.1', ssh: { port: 2223 } }));
    registry.create(nodeInput('c', { tailscale_ip: '127.0.0.1' })); // port 22
    expect(thrown(() => registry.create(nodeInput('d', { tailscale_ip: '127.0.0.1', ssh: { port: 22 } }))).details).toEqual([{ field: 'tailscale_ip', message: 'is already used by node "c"' }]);
    expect(thrown(() => registry.update('b', { ssh: { port: 2222 } })).details[0].message).toBe('is already used by node "a"');
    const report = registry.importSeed({ nodes: { e: { ...nodeInput('e', { tailscale_ip: '127.0.0.1', ssh: { port: 2224 } }) }, f: { ...nodeInput('f', { tailscale_ip: '127.0.0.1', ssh: { port: 2224 } }) } } }, { skip_invalid: true });
    expect(report.added).toEqual(['e']);
    expect(report.invalid).toEqual([{ id: 'f', field: 'tailscale_ip', reason: 'is already used by node "e"' }]);
    expect(registry.all().map((n) => n.id)).toEqual(['a', 'b', 'c', 'e']);
  });

  it('appends each change to a journal instead of rewriting every node; a restart replays it, a torn last line is ignored (issue 32, finding 11)', () => {
    const dir = tempDir();
    const registry = open(dir);
    for (let i = 0; i < 10; i++) registry.create(nodeInput(`j${i}`, { tailscale_ip: `127.66.9.${i + 1}` }));
    registry.update('j0', { description: 'changed' });
    registry.remove('j9');
    const snapshot = JSON.parse(fs.readFileSync(path.join(dir, 'nodes.json'), 'utf8'));
    expect(Object.keys(snapshot.nodes)).toEqual([]); // not rewritten per change: the journal has them
    const journal = path.join(dir, JOURNAL_FILE);
    expect(fs.readFileSync(journal, 'utf8').trim().split('\n')).toHaveLength(12);
    expect(fs.statSync(journal).mode & 0o777).toBe(0o600);
    fs.appendFileSync(journal, '{"op":"put","node":{"id":"torn'); // a crash in the middle of an append

    const restarted = open(dir);
    expect(restarted.all().map((n) => n.id)).toEqual(['j0', 'j1', 'j2', 'j3', 'j4', 'j5', 'j6', 'j7', 'j8']);
    expect(restarted.get('j0')!.description).toBe('changed');
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(dir, 'nodes.json'), 'utf8')).nodes)).toHaveLength(9); // folded in at start
    expect(fs.readFileSync(journal, 'utf8')).toBe('');
    expect(() => restarted.create(nodeInput('dup', { tailscale_ip: '127.66.9.2' }))).toThrow(/already used by node "j1"/); // the address index came back too
  });

  it('folds the journal into nodes.json in the background every 1,000 changes; a restart meanwhile loses nothing', async () => {
    const dir = tempDir();
    const registry = open(dir);
    for (let i = 0; i < 1000; i++) registry.create(nodeInput(`f${i}`, { tailscale_ip: `127.66.${10 + Math.floor(i / 250)}.${1 + (i % 250)}` }));
    // The 1,000th change moved the journal aside and started a snapshot; a "restart" right now:
    expect(fs.existsSync(path.join(dir, FOLDING_FILE))).toBe(true);
    expect(open(dir).size).toBe(1000);
    await registry.settled();
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(dir, 'nodes.json'), 'utf8')).nodes)).toHaveLength(1000);
    expect(fs.existsSync(path.join(dir, FOLDING_FILE))).toBe(false);
    registry.create(nodeInput('after', { tailscale_ip: '127.66.20.1' }));
    expect(open(dir).size).toBe(1001);
  });

  it('filters by role, tag, free text and health state', () => {
    const registry = open(tempDir());
    registry.create(nodeInput('m1', { role: 'master', tags: ['control'] }));
    registry.create(nodeInput('w1', { tags: ['gpu'], description: 'Big Box' }));
    registry.create(nodeInput('s1', { role: 'storage', hostname: 'disk-shelf' }));
    const ids = (nodes: { id: string }[]) => nodes.map((n) => n.id);
    expect(ids(registry.list({ role: 'master' }))).toEqual(['m1']);
    expect(ids(registry.list({ tag: 'gpu' }))).toEqual(['w1']);
    expect(ids(registry.list({ q: 'big box' }))).toEqual(['w1']);
    expect(ids(registry.list({ q: 'shelf' }))).toEqual(['s1']);
    expect(ids(registry.list({ status: 'unhealthy' }, (id) => (id === 's1' ? 'unhealthy' : 'healthy')))).toEqual(['s1']);
  });

  it('persists across a restart, with owner-only file permissions', () => {
    const dir = tempDir();
    open(dir).create(nodeInput('n1', { tags: ['x'] }));
    const reopened = open(dir);
    expect(reopened.get('n1')).toMatchObject({ id: 'n1', tags: ['x'] });
    expect(fs.statSync(reopened.path).mode & 0o777).toBe(0o600);
  });

  it('moves a corrupt store aside, reports it and keeps the bytes', () => {
    const dir = tempDir();
    open(dir).create(nodeInput('n1'));
    const file = path.join(dir, 'nodes.json');
    fs.writeFileSync(file, '{"schema_version": 2, "nodes": {"n1": {');
    const onRecovery = vi.fn();
    const registry = open(dir, onRecovery);
    expect(registry.size).toBe(0);
    // The journal of changes since that snapshot goes aside with it (it would rebuild a partial registry).
    expect(onRecovery).toHaveBeenCalledTimes(2);
    expect(onRecovery.mock.calls[1][0].reason).toBe('holds changes to the snapshot that was set aside');
    const recovery = onRecovery.mock.calls[0][0];
    expect(recovery.reason).toContain('could not be parsed');
    expect(fs.readFileSync(recovery.moved_to, 'utf8')).toBe('{"schema_version": 2, "nodes": {"n1": {');
    expect(path.basename(recovery.moved_to)).toMatch(/^nodes\.corrupt-\d{4}-\d\d-\d\dT.*\.json$/);
  });

  it('keeps valid nodes and sets the file aside when a stored node is invalid', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'nodes.json'), JSON.stringify({ schema_version: 2, nodes: { ok: nodeInput('ok'), bad: { ...nodeInput('bad'), role: 'boss' } } }));
    const onRecovery = vi.fn();
    const registry = open(dir, onRecovery);
    expect(registry.all().map((n) => n.id)).toEqual(['ok']);
    expect(onRecovery.mock.calls[0][0].reason).toContain('bad (role');
    expect(fs.existsSync(onRecovery.mock.calls[0][0].moved_to)).toBe(true);
  });

  it('migrates a seed-service file (no schema_version) to the current version', () => {
    const dir = tempDir();
    fs.copyFileSync(path.resolve('data/nodes.json'), path.join(dir, 'nodes.json'));
    const registry = open(dir);
    expect(registry.size).toBe(17);
    expect(JSON.parse(fs.readFileSync(registry.path, 'utf8')).schema_version).toBe(2);
  });

  it('imports seed format with a report and changes nothing when any node is invalid', () => {
    const registry = open(tempDir());
    registry.create(nodeInput('keep'));
    registry.create(nodeInput('edit'));
    const doc = {
      nodes: {
        keep: nodeInput('keep'),
        edit: { ...nodeInput('edit'), cpu_cores: 64 },
        fresh: { hostname: 'fresh', tailscale_ip: '127.0.0.9', role: 'storage', cpu_cores: 2, memory_gb: 4 },
        broken: { ...nodeInput('broken'), tailscale_ip: '999.1.1.1', memory_gb: 0 },
        mismatch: nodeInput('other'),
      },
    };
    const report = registry.importSeed(doc);
    expect(report).toMatchObject({ applied: false, added: ['fresh'], updated: ['edit'], unchanged: ['keep'] });
    expect(report.invalid).toEqual([
      { id: 'broken', field: 'tailscale_ip', reason: 'must be an IPv4 or IPv6 address' },
      { id: 'broken', field: 'memory_gb', reason: 'must be greater than 0' },
      { id: 'mismatch', field: 'id', reason: '"other" does not match its key "mismatch"' },
    ]);
    expect(registry.get('fresh')).toBeUndefined();
    expect(registry.get('edit')?.cpu_cores).toBe(4);

    const applied = registry.importSeed(doc, { skip_invalid: true });
    expect(applied.applied).toBe(true);
    expect(registry.get('fresh')?.role).toBe('storage');
    expect(registry.get('edit')?.cpu_cores).toBe(64);
    expect(registry.importSeed({ nodes: {} }).applied).toBe(false);
    expect(thrown(() => registry.importSeed({ nodes: [] })).details[0].field).toBe('nodes');
    expect(thrown(() => registry.importSeed({ nope: 1 })).details[0].field).toBe('nodes');
  });

  it('exports and re-imports losslessly', () => {
    const source = open(tempDir());
    source.create(nodeInput('a', { probes: [{ type: 'http', port: 80, expect_status: [200, 204] }], ssh: { user: 'ops', port: 2200 }, tags: ['x', 'y'] }));
    source.create(nodeInput('b', { role: 'storage', tailscale_ip: 'fd7a::5', maintenance: true, description: 'désc ✓' }));
    const exported = JSON.parse(JSON.stringify(source.exportSeed()));
    const target = open(tempDir());
    expect(target.importSeed(exported)).toMatchObject({ applied: true, added: ['a', 'b'] });
    expect(target.exportSeed()).toEqual(source.exportSeed());
    expect(target.importSeed(exported)).toMatchObject({ applied: false, unchanged: ['a', 'b'], added: [] });
  });
});
