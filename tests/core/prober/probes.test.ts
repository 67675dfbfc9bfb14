import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeSchema, type Node } from '../../../src/shared/schemas/node';
import { checkNode } from '../../../src/core/prober/check-node';
import { FleetSimulator } from '../../../src/core/simulator/fleet-simulator';
import type { SimBehaviour } from '../../../src/core/simulator/sim-node';

// Each behaviour on its own loopback address, probed for real.
const behaviours: SimBehaviour[] = ['healthy', 'slow', 'refusing', 'hanging', 'slowloris', 'http_5xx', 'reset', 'tls_mismatch'];
const ipOf = (b: SimBehaviour) => `127.20.0.${behaviours.indexOf(b) + 1}`;
const sim = new FleetSimulator(behaviours.map((behaviour) => ({ ip: ipOf(behaviour), http_port: 8080, tcp_port: 9000, ssh_port: 2222, behaviour, slow_ms: 150 })));
const TIMEOUT = 800;

const node = (ip: string, probes: unknown[]): Node => NodeSchema.parse({ id: 'n', hostname: 'n', tailscale_ip: ip, role: 'worker', cpu_cores: 1, memory_gb: 1, probes });
const http = (b: SimBehaviour, extra: object = {}) => checkNode(node(ipOf(b), [{ type: 'http', port: 8080, ...extra }]), TIMEOUT);

beforeAll(() => sim.start());
afterAll(() => sim.stop());

describe('probes against the simulator', () => {
  it('passes a healthy node on tcp, http and ssh with measured latency', async () => {
    const result = await checkNode(node(ipOf('healthy'), [{ type: 'tcp', port: 9000 }, { type: 'http', port: 8080 }, { type: 'ssh', port: 2222 }]), TIMEOUT);
    expect(result.ok).toBe(true);
    expect(result.probes.map((p) => [p.type, p.ok])).toEqual([['tcp', true], ['http', true], ['ssh', true]]);
    expect(result.probes[1].status_code).toBe(200);
    expect(result.latency_ms).toBeGreaterThan(0);
  });

  it('measures a slow node but passes it', async () => {
    const result = await http('slow');
    expect(result.ok).toBe(true);
    expect(result.latency_ms).toBeGreaterThanOrEqual(140);
  });

  it.each([
    ['refusing', 'refused', /connection refused/],
    ['hanging', 'timeout_headers', /no response within 0.8s/],
    ['slowloris', 'timeout_body', /did not finish its body/],
    ['http_5xx', 'http_status', /HTTP 503/],
    ['reset', 'reset', /reset|closed/],
  ] as const)('classifies %s as %s', async (behaviour, reason, message) => {
    const started = performance.now();
    const result = await http(behaviour);
    expect(result.ok).toBe(false);
    expect([reason, behaviour === 'reset' ? 'closed' : reason]).toContain(result.reason);
    expect(result.error).toMatch(message);
    expect(performance.now() - started).toBeLessThan(TIMEOUT + 300);
  });

  it('classifies TLS spoken to a plain endpoint as a TLS failure', async () => {
    const result = await http('tls_mismatch', { scheme: 'https' });
    expect(result.reason).toBe('tls');
    expect(result.error).toMatch(/TLS handshake/);
  });

  it('checks expect_status ranges and the default TCP :22 probe', async () => {
    expect((await http('http_5xx', { expect_status: [500, 599] })).ok).toBe(true);
    expect((await http('healthy', { expect_status: 204 })).reason).toBe('http_status');
    const fallback = await checkNode(node(ipOf('refusing'), []), TIMEOUT);
    expect(fallback.probes[0].target).toBe(`tcp://${ipOf('refusing')}:22`);
  });

  it('reports a DNS failure for a hostname URL and SSH protocol errors', async () => {
    const dns = await checkNode(node('127.0.0.1', [{ type: 'http', url: 'http://no-such-host.invalid:8080/health' }]), TIMEOUT);
    expect(dns.reason).toBe('dns');
    const notSsh = await checkNode(node(ipOf('healthy'), [{ type: 'ssh', port: 8080 }]), TIMEOUT);
    expect(notSsh.ok).toBe(false);
    expect(['ssh_protocol', 'timeout', 'closed']).toContain(notSsh.reason);
  });
});
