import { describe, expect, it } from 'vitest';
import { fieldErrors } from '../../src/shared/errors';
import { NodePatchSchema, NodeSchema } from '../../src/shared/schemas/node';
import { nodeInput } from '../helpers/nodes';

function errorsFor(input: unknown): Record<string, string> {
  const result = NodeSchema.safeParse(input);
  if (result.success) return {};
  const byField: Record<string, string> = {};
  for (const e of fieldErrors(result.error)) byField[e.field] = byField[e.field] ? `${byField[e.field]}; ${e.message}` : e.message;
  return byField;
}

describe('node schema', () => {
  it('accepts a valid node and fills defaults', () => {
    const node = NodeSchema.parse(nodeInput('node-01'));
    expect(node).toMatchObject({ description: '', tags: [], probes: [], maintenance: false });
  });

  it.each([
    ['id', 'Node_01', 'slug'],
    ['id', '-lead', 'slug'],
    ['id', 'a'.repeat(64), 'at most 63'],
    ['id', '', 'empty'],
    ['hostname', 'has space', 'spaces'],
    ['hostname', 'h'.repeat(254), 'at most 253'],
    ['tailscale_ip', '300.1.1.1', 'IPv4 or IPv6'],
    ['tailscale_ip', 'exa mple.com', 'IPv4 or IPv6 address, or a DNS name'],
    ['tailscale_ip', '-box.tail1.ts.net', 'DNS name'],
    ['role', 'boss', 'master, worker, storage'],
    ['description', 'x'.repeat(10 * 1024 * 1024), 'at most 1000'],
    ['cpu_cores', 0, 'at least 1'],
    ['cpu_cores', 2.5, 'whole number'],
    ['memory_gb', 0, 'greater than 0'],
    ['memory_gb', 'lots', 'number'],
    ['tags', ['a', 'a'], 'unique'],
    ['tags', Array.from({ length: 65 }, (_, i) => `t${i}`), 'at most 64'],
    ['maintenance', 'yes', 'true or false'],
  ])('refuses %s = %j naming the field', (field, value, reason) => {
    const errors = errorsFor({ ...nodeInput('node-01'), [field]: value });
    expect(Object.keys(errors)).toContain(field);
    expect(errors[field]).toContain(reason);
  });

  it('accepts a MagicDNS name or a short name as the address, and leaves CPU cores and memory optional', () => {
    for (const address of ['box.tail1234.ts.net', 'box', 'localhost', 'gpu-01.example.com.']) {
      expect(NodeSchema.safeParse({ ...nodeInput('n1'), tailscale_ip: address }).success, address).toBe(true);
    }
    const { cpu_cores: _c, memory_gb: _m, ...sizeless } = nodeInput('n1');
    expect(NodeSchema.parse(sizeless)).not.toHaveProperty('cpu_cores');
  });

  it('names nested fields in probes and ssh', () => {
    const errors = errorsFor({ ...nodeInput('n1'), probes: [{ type: 'tcp', port: 70000 }, { type: 'udp' }], ssh: { port: 0 } });
    expect(errors['probes.0.port']).toContain('port');
    expect(errors['probes.1.type']).toBeDefined();
    expect(errors['ssh.port']).toBeDefined();
  });

  it('says which fields are missing and which are unknown', () => {
    const errors = errorsFor({ id: 'n1', extra: true });
    for (const field of ['hostname', 'tailscale_ip', 'role']) expect(errors[field]).toBe('is required');
    // CPU cores and memory are optional (filled in from SSH metrics).
    expect(errors.cpu_cores).toBeUndefined();
    expect(errors.extra).toBe('is not a known field');
  });

  it('accepts IPv6 and keeps a patch free of defaults', () => {
    expect(NodeSchema.safeParse(nodeInput('n1', { tailscale_ip: 'fd7a:115c:a1e0::1' })).success).toBe(true);
    expect(NodePatchSchema.parse({ hostname: 'x' })).toEqual({ hostname: 'x' });
  });
});
