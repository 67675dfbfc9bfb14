import { describe, expect, it } from 'vitest';
import { filterNodes } from '../../src/shared/node-filter';
import { NodeSchema } from '../../src/shared/schemas/node';
import { nodeInput } from '../helpers/nodes';

// The one search rule behind the window's search box, REST's and MCP's `q` (issue 40, item 11).
const nodes = [
  ...Array.from({ length: 17 }, (_, i) => NodeSchema.parse(nodeInput(`n${i + 1}`, { tailscale_ip: `127.203.0.${i + 1}` }))),
  NodeSchema.parse(nodeInput('v6', { tailscale_ip: 'fd7a:115c:a1e0::1' })),
  NodeSchema.parse(nodeInput('dns', { tailscale_ip: 'box-7.tailnet.ts.net' })),
];
const ids = (q: string) => filterNodes(nodes, { q }).map((n) => n.id);

describe('searching by address', () => {
  it('matches a whole address, not every address it begins', () => {
    expect(ids('127.203.0.1')).toEqual(['n1']);
    expect(ids('127.203.0.17')).toEqual(['n17']);
  });

  it('matches a block by its leading parts, up to a dot or colon', () => {
    expect(ids('127.203.0.')).toHaveLength(17);
    expect(ids('127.203')).toHaveLength(17);
    expect(ids('127.20')).toEqual([]);
    expect(ids('fd7a:115c:')).toEqual(['v6']);
    expect(ids('fd7a:115c:a1e0::1')).toEqual(['v6']);
  });

  it('still finds a MagicDNS name by any part of it, and ids and hostnames as before', () => {
    expect(ids('tailnet')).toEqual(['dns']);
    expect(ids('box-7')).toEqual(['dns']);
    expect(ids('n17-host')).toEqual(['n17']);
  });
});
