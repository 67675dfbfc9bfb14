import { OrchestratorError } from '../../shared/errors';
import type { Node } from '../../shared/schemas/node';

// Two nodes at one address would be probed, alerted on and commanded as one machine twice: the
// registry refuses it, and every face (REST, IPC, MCP, imports) goes through here. Machines behind
// one address with SSH forwarded on ports of their own (NAT, VMs, the demo fleet where the OS has
// only 127.0.0.1) are told apart by their SSH port, as ssh's known_hosts tells [host]:port apart.

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

type Endpoint = Pick<Node, 'id' | 'tailscale_ip'> & { ssh?: { port?: number } | null };

/** What no two nodes may share: the address with the SSH port. */
export function endpointKey(node: Endpoint): string {
  return `${addressKey(node.tailscale_ip)}|${node.ssh?.port ?? 22}`;
}

/** The other node that already has `node`'s address and SSH port, if any. */
export function addressOwner(nodes: Iterable<Node>, node: Endpoint): Node | undefined {
  const key = endpointKey(node);
  for (const other of nodes) if (other.id !== node.id && endpointKey(other) === key) return other;
  return undefined;
}

export const addressTakenMessage = (owner: Pick<Node, 'id'>): string => `is already used by node "${owner.id}"`;

/** Throws a 409 naming the node that has the address of one of `changed` (all of them already in `all`). */
export function assertAddressesFree(all: Iterable<Node>, changed: Iterable<Node>): void {
  const owners = new Map<string, string[]>();
  for (const node of all) {
    const key = endpointKey(node);
    owners.set(key, [...(owners.get(key) ?? []), node.id]);
  }
  for (const node of changed) {
    const owner = owners.get(endpointKey(node))?.find((id) => id !== node.id);
    if (owner !== undefined) throw addressTaken(node, owner);
  }
}

/** The 409 for `node`, whose address and SSH port node `owner` already has. */
export function addressTaken(node: Pick<Node, 'tailscale_ip'>, owner: string): OrchestratorError {
  return new OrchestratorError('conflict', `tailscale_ip ${node.tailscale_ip} is already used by node "${owner}" (nodes may share an address only with different SSH ports)`, [
    { field: 'tailscale_ip', message: addressTakenMessage({ id: owner }) },
  ]);
}
