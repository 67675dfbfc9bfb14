import { isDeepStrictEqual } from 'node:util';
import { parseOrThrow } from '../../shared/errors';
import { NodeSchema, type Node, type NodeRole } from '../../shared/schemas/node';
import {
  TailscaleImportOptionsSchema,
  TailscaleStatusSchema,
  type TailscaleImportReport,
  type TailscalePeer,
  type TailscaleStatus,
} from '../../shared/schemas/tailscale';
import { addressKey } from '../registry/unique-address';

const ROLE_TAGS: Record<string, NodeRole> = { 'tag:master': 'master', 'tag:worker': 'worker', 'tag:storage': 'storage' };
const ZERO_TIME = '0001-01-01T00:00:00Z';

/** HostName → a valid id: lowercase letters, digits and "-", at most 63 characters. */
export function slugify(hostName: string): string {
  const slug = hostName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return slug || 'node';
}

function uniqueId(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const id = base.slice(0, 63 - suffix.length).replace(/-+$/, '') + suffix;
    if (!taken.has(id)) return id;
  }
}

/** `tag:gpu-box` → `gpu-box`; characters a tag may not hold become "-", empty tags are dropped. */
function cleanTags(tags: string[]): string[] {
  const cleaned = tags.map((t) => t.replace(/^tag:/, '').replace(/[^A-Za-z0-9_.:/-]+/g, '-').slice(0, 64)).filter((t) => t.replace(/-/g, '').length > 0);
  return [...new Set(cleaned)];
}

const firstIp = (peer: TailscalePeer): string | undefined => {
  const ips = peer.TailscaleIPs ?? [];
  return ips.find((ip) => /^\d+\.\d+\.\d+\.\d+$/.test(ip)) ?? ips.find((ip) => ip.includes(':'));
};

export function peerIsExpired(peer: TailscalePeer, now = Date.now()): boolean {
  if (peer.Expired) return true;
  return Boolean(peer.KeyExpiry && peer.KeyExpiry !== ZERO_TIME && Date.parse(peer.KeyExpiry) < now);
}

export interface TailscalePlan {
  report: TailscaleImportReport;
  changes: Node[];
  /** SSH host keys announced by Tailscale, per node id, to pre-pin. */
  hostKeys: Map<string, string[]>;
  status: TailscaleStatus;
}

/** Maps `tailscale status --json` to nodes and diffs them against the registry; applies nothing. */
export function planTailscaleImport(document: unknown, options: unknown, existing: Node[]): TailscalePlan {
  const status = parseOrThrow(TailscaleStatusSchema, document);
  const opts = parseOrThrow(TailscaleImportOptionsSchema, options ?? {});
  const report: TailscaleImportReport = { applied: false, added: [], updated: [], unchanged: [], skipped: [] };
  const changes: Node[] = [];
  const hostKeys = new Map<string, string[]>();
  const byDns = new Map(existing.filter((n) => n.dns_name).map((n) => [n.dns_name!, n]));
  // A node may be registered by its MagicDNS name instead of its IP.
  const byAddress = new Map(existing.map((n) => [addressKey(n.tailscale_ip), n]));
  const takenIds = new Set(existing.map((n) => n.id));
  const peers: Array<[TailscalePeer, boolean, string]> = Object.entries(status.Peer ?? {}).map(([key, p]) => [p, false, `Peer.${key}`]);
  if (status.Self) peers.unshift([status.Self, true, 'Self']);

  for (const [peer, isSelf, at] of peers) {
    const skip = (reason: TailscaleImportReport['skipped'][number]['reason'], detail: string) => report.skipped.push({ hostname: peer.HostName, reason, detail });
    if (isSelf && !opts.include_self) {
      skip('self', 'this machine');
      continue;
    }
    if (peer.OS.toLowerCase() !== 'linux' && !opts.include_non_linux) {
      skip('os', `OS is ${peer.OS || 'unknown'}, not linux`);
      continue;
    }
    if (peerIsExpired(peer) && !opts.include_expired) {
      skip('expired', `node key expired${peer.KeyExpiry ? ` at ${peer.KeyExpiry}` : ''}`);
      continue;
    }
    const ip = firstIp(peer);
    if (!ip) {
      skip('no_ip', 'no Tailscale IP address');
      continue;
    }
    const dnsName = peer.DNSName.replace(/\.$/, '');
    const tsTags = cleanTags((peer.Tags ?? []).filter((t) => !ROLE_TAGS[t]));
    const tagRole = (peer.Tags ?? []).map((t) => ROLE_TAGS[t]).find(Boolean);
    const current = (dnsName && (byDns.get(dnsName) ?? byAddress.get(addressKey(dnsName)))) || byAddress.get(addressKey(ip));
    const lastSeen = peer.LastSeen && !peer.LastSeen.startsWith('0001-') && !Number.isNaN(Date.parse(peer.LastSeen)) ? new Date(peer.LastSeen).toISOString() : undefined;
    // Only facts Tailscale gave: an absent key, not `undefined`, so an unchanged node compares equal.
    const facts = Object.fromEntries(Object.entries({ os: peer.OS || undefined, dns_name: dnsName || undefined, tailscale_online: peer.Online, tailscale_last_seen: lastSeen }).filter(([, v]) => v !== undefined));
    if (current) {
      const next = parseOrThrow(NodeSchema, {
        ...current,
        hostname: peer.HostName.replace(/\s+/g, '-'),
        // A node registered by name keeps its name; one registered by IP follows Tailscale's IP.
        tailscale_ip: addressKey(current.tailscale_ip) === addressKey(dnsName) ? current.tailscale_ip : ip,
        role: tagRole ?? current.role,
        tags: [...new Set([...current.tags, ...tsTags])],
        ...facts,
      }, at);
      if (peer.sshHostKeys?.length) hostKeys.set(current.id, peer.sshHostKeys);
      if (isDeepStrictEqual(next, current)) report.unchanged.push(current.id);
      else {
        const changed = (Object.keys(next) as Array<keyof Node>).filter((k) => !isDeepStrictEqual(next[k], current[k]));
        report.updated.push({ id: current.id, changes: changed, role: next.role, tags: next.tags, online: peer.Online });
        changes.push(next);
      }
      continue;
    }
    const id = uniqueId(slugify(peer.HostName), takenIds);
    takenIds.add(id);
    const node = parseOrThrow(NodeSchema, {
      id,
      hostname: peer.HostName.replace(/\s+/g, '-'),
      tailscale_ip: ip,
      role: tagRole ?? opts.default_role,
      description: 'Imported from Tailscale',
      ...(opts.default_cpu_cores === undefined ? {} : { cpu_cores: opts.default_cpu_cores }),
      ...(opts.default_memory_gb === undefined ? {} : { memory_gb: opts.default_memory_gb }),
      tags: [...new Set(tsTags)],
      ...facts,
    }, at);
    if (peer.sshHostKeys?.length) hostKeys.set(id, peer.sshHostKeys);
    report.added.push({ id, hostname: node.hostname, tailscale_ip: ip, role: node.role, tags: node.tags, online: peer.Online });
    changes.push(node);
  }
  return { report, changes, hostKeys, status };
}
