import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sshdMissing, startSshdFleet, type SshdFleet } from '../helpers/sshd';
import { startTestService } from '../helpers/service';

const ADDRESSES = ['127.34.0.1', '127.34.0.2'];
let fleet: SshdFleet;
let service: Awaited<ReturnType<typeof startTestService>>;

describe.skipIf(sshdMissing)('SSH routes of the REST API', () => {
  beforeAll(async () => {
    fleet = await startSshdFleet(ADDRESSES);
    service = await startTestService({ SSH_KEY_PATH: fleet.clientKey });
    service.core.monitor.stop();
    ADDRESSES.forEach((ip, i) =>
      service.core.registry.create({ id: `r-${i + 1}`, hostname: `r-${i + 1}`, tailscale_ip: ip, role: 'worker', tags: ['rest'], cpu_cores: 2, memory_gb: 2, ssh: { user: fleet.user, port: fleet.port }, probes: [{ type: 'tcp', port: fleet.port }] }),
    );
  });
  afterAll(async () => {
    await service?.close();
    await fleet?.stop();
  });

  it('POST /cluster/commands runs on the selected nodes', async () => {
    const response = await service.call('POST', '/cluster/commands', { body: { tag: 'rest', command: 'echo hello; exit 2', timeout: 5 } });
    expect(response.status).toBe(200);
    expect(response.body.results).toEqual([
      { node_id: 'r-1', exit_code: 2, stdout: 'hello\n', stderr: '', duration_ms: expect.any(Number), error: null },
      { node_id: 'r-2', exit_code: 2, stdout: 'hello\n', stderr: '', duration_ms: expect.any(Number), error: null },
    ]);
    expect(await service.call('POST', '/cluster/commands', { body: { node_ids: ['r-1'], command: 'x', timeout: -1 } })).toMatchObject({ status: 422, body: { details: [{ field: 'timeout' }] } });
    expect(await service.call('POST', '/cluster/commands', { body: { node_ids: ['zz'], command: 'x' } })).toMatchObject({ status: 404, body: { details: [{ field: 'node_ids.0' }] } });
  });

  it('serves metrics, the host key pin and its removal, placement and the audit log', async () => {
    const metrics = await service.call('GET', '/cluster/nodes/r-1/metrics');
    expect(metrics.status).toBe(200);
    expect(Object.keys(metrics.body).sort()).toEqual(['collected_at', 'cpu_count', 'disk_total_gb', 'disk_used_pct', 'load_1', 'load_15', 'load_5', 'mem_available_mb', 'mem_total_mb', 'uptime_s']);
    expect((await service.call('GET', '/cluster/nodes/r-1/host-key')).body.pin.fingerprints).toEqual([fleet.hostKeyFingerprint()]);
    expect((await service.call('DELETE', '/cluster/nodes/r-1/host-key')).status).toBe(204);
    expect((await service.call('GET', '/cluster/nodes/r-1/host-key')).body.pin).toBeNull();
    expect((await service.call('DELETE', '/cluster/nodes/nope/host-key')).status).toBe(404);
    await service.call('POST', '/cluster/health-check');
    const suggestion = await service.call('POST', '/cluster/suggest', { body: { cpu_cores: 0.1, memory_gb: 0.1, tags: ['rest'] } });
    expect(suggestion.body.candidates.map((c: { node_id: string }) => c.node_id).sort()).toEqual(['r-1', 'r-2']);
    expect((await service.call('POST', '/cluster/suggest', { body: { cpu_cores: 0 } })).body.details[0].field).toBe('cpu_cores');
    const audit = await service.call('GET', '/cluster/audit');
    expect(audit.body.entries.map((e: { actor: string; action: string }) => `${e.actor}:${e.action}`)).toEqual(['rest:admin token:run_command', 'rest:admin token:run_command', 'rest:admin token:forget_host_key']); // run: started, then its outcome
  });
});
