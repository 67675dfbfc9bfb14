import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { confStoreFactory } from '../../../src/core/registry/json-store';
import { NodeRegistry } from '../../../src/core/registry/node-registry';
import { ClusterMonitor } from '../../../src/core/monitor/cluster-monitor';
import { TailscaleService } from '../../../src/core/tailscale/tailscale-service';
import { slugify } from '../../../src/core/tailscale/tailscale-import';
import { MonitorSettingsSchema } from '../../../src/shared/schemas/settings';
import type { OrchestratorError } from '../../../src/shared/errors';
import { peer, sampleTailnet, statusDocument } from '../../helpers/tailscale-status';
import { tempDir } from '../../helpers/temp-dir';

function setup() {
  const registry = new NodeRegistry({ dataDir: tempDir(), storeFactory: confStoreFactory });
  const monitor = new ClusterMonitor({ registry, settings: MonitorSettingsSchema.parse({}) }); // never started: nothing is probed
  const pinned: Array<[string, string[]]> = [];
  const tailscale = new TailscaleService(registry, monitor, { prePin: (id, keys) => pinned.push([id, keys]) });
  return { registry, monitor, tailscale, pinned };
}

describe('Tailscale import', () => {
  it('maps peers to nodes: ids, IPs, roles, tags, OS and DNS name; skips self, non-Linux and expired', () => {
    const { registry, tailscale } = setup();
    const report = tailscale.import(sampleTailnet());
    expect(report.applied).toBe(true);
    expect(report.added.map((a) => a.id)).toEqual(['ctrl-1', 'worker-online', 'worker-offline', 'untagged', 'v6-only', 'gpu-box-01', 'gpu-box-01-2']);
    expect(report.skipped).toEqual([
      { hostname: 'my-laptop', reason: 'self', detail: 'this machine' },
      { hostname: 'old-box', reason: 'expired', detail: 'node key expired at 2025-01-01T00:00:00Z' },
      { hostname: 'designer-mac', reason: 'os', detail: 'OS is macOS, not linux' },
      { hostname: 'phone', reason: 'os', detail: 'OS is iOS, not linux' },
    ]);
    expect(registry.get('ctrl-1')).toMatchObject({ role: 'master', tailscale_ip: '127.0.8.1', tags: ['prod'], os: 'linux', dns_name: 'ctrl-1.tail1234.ts.net' });
    expect(registry.get('worker-online')).toMatchObject({ role: 'worker', tags: ['gpu'] });
    expect(registry.get('worker-offline')).toMatchObject({ role: 'storage' }); // offline peers are imported
    expect(registry.get('untagged')).toMatchObject({ role: 'worker', tags: [] });
    expect(registry.get('v6-only')?.tailscale_ip).toBe('::1');
    expect(registry.get('gpu-box-01')).toMatchObject({ hostname: 'GPU-Box-01', tailscale_ip: '127.0.8.7' });
    expect(registry.get('gpu-box-01-2')).toMatchObject({ hostname: 'gpu-box-01', tailscale_ip: '127.0.8.8' });
  });

  it('shows a diff on a dry run and changes nothing', () => {
    const { registry, tailscale } = setup();
    const report = tailscale.import(sampleTailnet(), { dry_run: true });
    expect(report.applied).toBe(false);
    expect(report.added).toHaveLength(7);
    expect(registry.size).toBe(0);
  });

  it('is idempotent: a second apply adds nothing, and changes show as updates', () => {
    const { registry, tailscale } = setup();
    tailscale.import(sampleTailnet());
    const again = tailscale.import(sampleTailnet());
    expect(again).toMatchObject({ applied: false, added: [], updated: [] });
    expect(again.unchanged).toHaveLength(7);
    registry.update('untagged', { cpu_cores: 32, description: 'edited by hand' });
    const moved = statusDocument([peer('untagged', '127.0.8.55', { Tags: ['tag:master'] })]);
    const report = tailscale.import(moved);
    // Matched by DNS name: same node, new address and role; what the user typed is kept.
    expect(report.updated).toEqual([{ id: 'untagged', changes: ['tailscale_ip', 'role'], role: 'master', tags: [], online: true }]);
    expect(registry.get('untagged')).toMatchObject({ tailscale_ip: '127.0.8.55', role: 'master', cpu_cores: 32, description: 'edited by hand' });
  });

  it('includes self, non-Linux and expired peers when asked, with a configurable default role', () => {
    const { registry, tailscale } = setup();
    const report = tailscale.import(sampleTailnet(), { include_self: true, include_non_linux: true, include_expired: true, default_role: 'storage' });
    expect(report.skipped).toEqual([]);
    expect(registry.get('my-laptop')).toMatchObject({ role: 'storage', os: 'macOS' });
    expect(registry.get('old-box')).toBeDefined();
  });

  it('pre-pins SSH host keys announced by Tailscale', () => {
    const { tailscale, pinned } = setup();
    tailscale.import(sampleTailnet());
    expect(pinned).toEqual([['ctrl-1', [expect.stringMatching(/^ssh-ed25519 /)]]]);
  });

  it('refuses malformed documents with the reason and leaves the registry untouched', () => {
    const { registry, tailscale } = setup();
    tailscale.import(statusDocument([peer('keep', '127.0.8.20')]));
    const cases: Array<[unknown, string]> = [
      ['not json at all', '(root)'],
      [{ Peer: [] }, 'Peer'],
      [{ Peer: { k: { HostName: 5 } } }, 'Peer.k.HostName'],
      [{ Peer: { k: { HostName: 'x', TailscaleIPs: 'nope' } } }, 'Peer.k.TailscaleIPs'],
    ];
    for (const [document, field] of cases) {
      let error: OrchestratorError | undefined;
      try {
        tailscale.import(document);
      } catch (e) {
        error = e as OrchestratorError;
      }
      expect(error?.code).toBe('validation_error');
      expect(error?.details.map((d) => d.field)).toContain(field);
    }
    expect(registry.all().map((n) => n.id)).toEqual(['keep']);
  });

  it('reports where Tailscale and our probes disagree', () => {
    const { registry, tailscale } = setup();
    tailscale.import(sampleTailnet());
    const presence = tailscale.presence();
    expect(presence.nodes.find((p) => p.node_id === 'worker-offline')).toMatchObject({ online: false, last_seen: '2026-11-20T08:15:00Z', probe_state: 'unknown', disagreement: null });
    expect(presence.nodes.find((p) => p.node_id === 'ctrl-1')).toMatchObject({ online: true, last_seen: null });
    expect(registry.size).toBe(7);
  });

  it('makes slugs from any host name', () => {
    expect(slugify('GPU Box 01')).toBe('gpu-box-01');
    expect(slugify('Ünïcode_Host.local')).toBe('unicode-host-local');
    expect(slugify('---')).toBe('node');
    expect(slugify('x'.repeat(80))).toHaveLength(63);
  });

  it('syncs presence from the tailscale CLI on an interval', async () => {
    const { tailscale } = setup();
    tailscale.import(sampleTailnet());
    const dir = tempDir();
    const fake = path.join(dir, 'tailscale');
    fs.writeFileSync(path.join(dir, 'status.json'), JSON.stringify(statusDocument([peer('worker-online', '127.0.8.2', { Online: false, LastSeen: '2026-11-24T01:02:03Z' })])));
    fs.writeFileSync(fake, `#!/bin/sh\n[ "$1 $2" = "status --json" ] && exec cat ${path.join(dir, 'status.json')}\nexit 2\n`, { mode: 0o755 });
    process.env.TAILSCALE_BIN = fake;
    try {
      tailscale.startSync(60_000);
      await expect.poll(() => tailscale.presence().nodes.find((n) => n.node_id === 'worker-online')?.online, { timeout: 5000 }).toBe(false);
      expect(tailscale.presence().nodes.find((n) => n.node_id === 'worker-online')?.last_seen).toBe('2026-11-24T01:02:03Z');
      process.env.TAILSCALE_BIN = path.join(dir, 'missing');
      await expect(tailscale.readFromCli()).rejects.toThrow(/not installed here/);
    } finally {
      tailscale.stopSync();
      delete process.env.TAILSCALE_BIN;
    }
  });
});
