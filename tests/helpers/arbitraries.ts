import fc from 'fast-check';
import { NODE_ROLES } from '../../src/shared/schemas/node';

// Generators for the property tests: valid nodes, nodes with one field broken, and arbitrary junk.
const slug = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/);
const ipv4 = fc.tuple(fc.constant(127), fc.nat(255), fc.nat(255), fc.integer({ min: 1, max: 254 })).map((p) => p.join('.'));
const tag = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,12}$/);

export const validNode = fc.record(
  {
    id: slug,
    hostname: fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,30}$/),
    tailscale_ip: fc.oneof(ipv4, fc.constant('::1')),
    role: fc.constantFrom(...NODE_ROLES),
    description: fc.string({ maxLength: 60 }),
    cpu_cores: fc.integer({ min: 1, max: 512 }),
    memory_gb: fc.double({ min: 0.25, max: 4096, noNaN: true }),
    tags: fc.uniqueArray(tag, { maxLength: 5 }),
    maintenance: fc.boolean(),
  },
  { requiredKeys: ['id', 'hostname', 'tailscale_ip', 'role', 'cpu_cores', 'memory_gb'] },
);

const junk = fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.object({ maxDepth: 1 }));
const fields = ['id', 'hostname', 'tailscale_ip', 'role', 'description', 'cpu_cores', 'memory_gb', 'tags', 'maintenance', 'probes', 'ssh', 'unknown_field'];

/** A valid node with one field replaced by junk (or removed); it may still happen to be valid. */
export const mutatedNode = fc.tuple(validNode, fc.constantFrom(...fields), fc.option(junk, { nil: undefined })).map(([node, field, value]) => {
  const copy: Record<string, unknown> = { ...node };
  if (value === undefined) delete copy[field];
  else copy[field] = value;
  return copy;
});

/** Anything at all, as a hostile client would send. */
export const anything = fc.anything({ maxDepth: 3, maxKeys: 6 });

export const nodeInputs = fc.oneof({ weight: 3, arbitrary: validNode as fc.Arbitrary<unknown> }, { weight: 5, arbitrary: mutatedNode }, { weight: 2, arbitrary: anything });
