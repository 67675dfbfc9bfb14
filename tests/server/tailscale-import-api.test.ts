import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService } from '../helpers/service';
import { sampleTailnet } from '../helpers/tailscale-status';

let service: Awaited<ReturnType<typeof startTestService>>;
beforeAll(async () => {
  service = await startTestService();
  service.core.monitor.stop(); // import only: nothing is probed
});
afterAll(() => service.close());

describe('POST /cluster/import/tailscale', () => {
  it('answers a diff on dry_run, applies, and re-applies as a no-op', async () => {
    const dry = await service.call('POST', '/cluster/import/tailscale?dry_run=true', { body: sampleTailnet() });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ applied: false, updated: [], unchanged: [] });
    expect(dry.body.added).toHaveLength(7);
    expect(dry.body.skipped.map((s: { reason: string }) => s.reason)).toEqual(['self', 'expired', 'os', 'os']);
    expect((await service.call('GET', '/cluster/nodes')).body.count).toBe(0);

    expect((await service.call('POST', '/cluster/import/tailscale', { body: sampleTailnet() })).body.applied).toBe(true);
    expect((await service.call('GET', '/cluster/nodes')).body.count).toBe(7);
    const again = await service.call('POST', '/cluster/import/tailscale', { body: sampleTailnet() });
    expect(again.body).toMatchObject({ applied: false, added: [] });
    expect(again.body.unchanged).toHaveLength(7);
    expect((await service.call('POST', '/cluster/import/tailscale?include_non_linux=true&default_role=storage', { body: sampleTailnet() })).body.added.map((a: { id: string }) => a.id)).toEqual(['designer-mac', 'phone']);
  });

  it('refuses malformed input with the reason and changes nothing', async () => {
    const before = (await service.call('GET', '/cluster/nodes')).body.count;
    expect(await service.call('POST', '/cluster/import/tailscale', { raw: '{"Peer": {' })).toMatchObject({ status: 400, body: { error: 'bad_request' } });
    const wrong = await service.call('POST', '/cluster/import/tailscale', { body: { Peer: { k: { HostName: 'x', TailscaleIPs: 7 } } } });
    expect(wrong).toMatchObject({ status: 422, body: { details: [{ field: 'Peer.k.TailscaleIPs' }] } });
    expect((await service.call('POST', '/cluster/import/tailscale?default_role=boss', { body: sampleTailnet() })).body.details[0].field).toBe('default_role');
    expect((await service.call('GET', '/cluster/nodes')).body.count).toBe(before);
    expect((await service.call('GET', '/cluster/tailscale/presence')).body.nodes.length).toBeGreaterThan(0);
  });
});
