import { OrchestratorError } from '../../shared/errors';
import type { Node } from '../../shared/schemas/node';

// Two nodes at one address would be probed, alerted on and commanded as one machine twice: the
// registry refuses it, and every face (REST, IPC, MCP, imports) goes through here.

/**
 * The form two addresses compare in: IPv6 in its canonical form (fd7a:0::1 is fd7a::1), DNS names
 * without case or a trailing dot.
 */
export function addressKey(address: string): string {
  if (address.includes(':')) {
    try {
      return new URL(`http://[${address}]/`).hostname.slice(1, -1);
    } catch {
      return address.toLowerCase();
    }
  }
  return address.toLowerCase().replace(/\.$/, '');
}

/** The other node that already has `node`'s address, if any. */
export function addressOwner(nodes: Iterable<Node>, node: Pick<Node, 'id' | 'tailscale_ip'>): Node | undefined {
  const key = addressKey(node.tailscale_ip);
  for (const other of nodes) if (other.id !== node.id && addressKey(other.tailscale_ip) === key) return other;
  return undefined;
}

export const addressTakenMessage = (owner: Pick<Node, 'id'>): string => `is already used by node "${owner.id}"`;

/** Throws a 409 naming the node that has the address of one of `changed` (all of them already in `all`). */
export function assertAddressesFree(all: Iterable<Node>, changed: Iterable<Node>): void {
  const owners = new Map<string, string[]>();
  for (const node of all) {
    const key = addressKey(node.tailscale_ip);
    owners.set(key, [...(owners.get(key) ?? []), node.id]);
  }
  for (const node of changed) {
    const owner = owners.get(addressKey(node.tailscale_ip))?.find((id) => id !== node.id);
    if (owner === undefined) continue;
    throw new OrchestratorError('conflict', `tailscale_ip ${node.tailscale_ip} is already used by node "${owner}"`, [
      { field: 'tailscale_ip', message: addressTakenMessage({ id: owner }) },
    ]);
  }
}
