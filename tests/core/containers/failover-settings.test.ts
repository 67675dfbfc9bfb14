import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../src/core/app-core';
import { MonitorSettingsSchema } from '../../../src/shared/schemas/settings';
import { matchSwarmNodes } from '../../../src/core/containers/swarm-service';
import type { EngineSwarmNode } from '../../../src/core/containers/docker-engine';
import { tempDir } from '../../helpers/temp-dir';
import { nodeInput } from '../../helpers/nodes';

const open = (dataDir: string, enabledFromEnv?: boolean) =>
  createCore({ dataDir, settings: MonitorSettingsSchema.parse({}), log: () => {}, ssh: { metricsIntervalMs: 0 }, failover: { enabledFromEnv } });

describe('failover settings', () => {
  it('are off by default, refuse bad input naming the field, and survive a restart; SWARM_FAILOVER wins at start', async () => {
    const dir = tempDir();
    let core = open(dir);
    expect(core.failover.state()).toEqual({ enabled: false, max_drained_nodes: 1, max_drained_share: 0.3, drain_maintenance: true, drained_by_us: [], last_action: null });
    expect(() => core.failover.update({ max_drained_share: 2 })).toThrow(expect.objectContaining({ details: [{ field: 'max_drained_share', message: 'must be between 0 and 1' }] }));
    expect(() => core.failover.update({ surprise: true })).toThrow(expect.objectContaining({ details: [{ field: 'surprise', message: 'is not a known field', code: 'unknown_field' }] }));
    core.failover.update({ enabled: true, max_drained_nodes: 2 });
    await core.close();
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'failover.json'), 'utf8')).settings).toMatchObject({ enabled: true, max_drained_nodes: 2 });
    core = open(dir);
    expect(core.failover.state()).toMatchObject({ enabled: true, max_drained_nodes: 2 });
    await core.close();
    core = open(dir, false);
    expect(core.failover.state()).toMatchObject({ enabled: false, max_drained_nodes: 2 });
    await core.close();
  });

  it('sets a corrupt failover.json aside and starts from the defaults', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'failover.json'), '{"settings": {"enabled": "maybe"}}');
    const core = open(dir);
    expect(core.failover.state().enabled).toBe(false);
    expect(fs.readdirSync(dir).some((f) => f.startsWith('failover.corrupt-'))).toBe(true);
    expect(core.eventLog.list({ limit: 50 }).some((e) => e.kind === 'store_recovered' && e.reason.includes('failover'))).toBe(true);
    await core.close();
  });
});

describe('matching Swarm nodes to ours', () => {
  const swarmNode = (ID: string, Hostname: string, Addr: string): EngineSwarmNode => ({ ID, Version: { Index: 1 }, Spec: { Role: 'worker', Availability: 'active' }, Description: { Hostname }, Status: { State: 'ready', Addr } });
  it('uses docker.swarm_node first, then the hostname (or its first label), then the address', () => {
    const swarm = [swarmNode('s1', 'alpha', '10.0.0.1'), swarmNode('s2', 'beta.example.ts.net', '10.0.0.2'), swarmNode('s3', 'gamma', '10.0.0.3'), swarmNode('s4', 'delta', '10.0.0.4')];
    const ours = [
      { ...nodeInput('n-explicit'), hostname: 'whatever', docker: { enabled: true, via: 'ssh' as const, swarm_node: 'delta' } },
      { ...nodeInput('n-alpha'), hostname: 'ALPHA' },
      { ...nodeInput('n-beta'), hostname: 'beta' },
      { ...nodeInput('n-gamma'), hostname: 'other', tailscale_ip: '10.0.0.3' },
      { ...nodeInput('n-none'), hostname: 'nobody', tailscale_ip: '10.0.0.9' },
    ].map((n) => ({ description: '', tags: [], probes: [], maintenance: false, ...n }));
    expect(Object.fromEntries(matchSwarmNodes(swarm, ours as never))).toEqual({ s4: 'n-explicit', s1: 'n-alpha', s2: 'n-beta', s3: 'n-gamma' });
  });
});
