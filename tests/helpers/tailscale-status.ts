// `tailscale status --json` documents in the real format (ipnstate.Status / PeerStatus), with
// loopback addresses so that nothing here could ever be probed off this machine.
type Peer = Record<string, unknown>;

export function peer(hostName: string, ip: string | string[], extra: Peer = {}): Peer {
  const ips = Array.isArray(ip) ? ip : [ip];
  return {
    ID: `n${Math.abs(hash(hostName))}CNTRL`,
    PublicKey: `nodekey:${hash(hostName).toString(16).padStart(64, '0')}`,
    HostName: hostName,
    DNSName: `${hostName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.tail1234.ts.net.`,
    OS: 'linux',
    UserID: 1234,
    TailscaleIPs: ips,
    AllowedIPs: ips.map((a) => (a.includes(':') ? `${a}/128` : `${a}/32`)),
    Addrs: null,
    CurAddr: '',
    Relay: 'fra',
    RxBytes: 0,
    TxBytes: 0,
    Created: '2025-06-01T10:00:00.000000000Z',
    LastWrite: '0001-01-01T00:00:00Z',
    LastSeen: '0001-01-01T00:00:00Z',
    LastHandshake: '0001-01-01T00:00:00Z',
    Online: true,
    ExitNode: false,
    ExitNodeOption: false,
    Active: false,
    PeerAPIURL: ips.map((a) => `http://${a.includes(':') ? `[${a}]` : a}:40000`),
    InNetworkMap: true,
    InMagicSock: true,
    InEngine: false,
    KeyExpiry: '2099-01-01T00:00:00Z',
    ...extra,
  };
}

function hash(s: string): number {
  let h = 7;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) | 0;
  return h;
}

export function statusDocument(peers: Peer[], self: Peer = peer('my-laptop', '127.0.8.254', { OS: 'macOS' })): Record<string, unknown> {
  return {
    Version: '1.76.6-t1234abcd',
    TUN: true,
    BackendState: 'Running',
    HaveNodeKey: true,
    AuthURL: '',
    TailscaleIPs: self.TailscaleIPs,
    Self: self,
    Health: [],
    MagicDNSSuffix: 'tail1234.ts.net',
    CurrentTailnet: { Name: 'ops@example.com', MagicDNSSuffix: 'tail1234.ts.net', MagicDNSEnabled: true },
    CertDomains: ['my-laptop.tail1234.ts.net'],
    Peer: Object.fromEntries(peers.map((p) => [p.PublicKey as string, p])),
    User: { '1234': { ID: 1234, LoginName: 'ops@example.com', DisplayName: 'Ops' } },
    ClientVersion: null,
  };
}

/** A tailnet with every case the importer must handle. */
export function sampleTailnet(): Record<string, unknown> {
  return statusDocument([
    peer('ctrl-1', ['127.0.8.1', 'fd7a:115c:a1e0::1'], { Tags: ['tag:master', 'tag:prod'], sshHostKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOGn1cBP2QJxnCZyT8qh5xVVVx4QhcDAp5zB8JmIzVqk'] }),
    peer('worker-online', '127.0.8.2', { Tags: ['tag:worker', 'tag:gpu'] }),
    peer('worker-offline', '127.0.8.3', { Online: false, LastSeen: '2026-11-20T08:15:00Z', Tags: ['tag:storage'] }),
    peer('old-box', '127.0.8.4', { Expired: true, KeyExpiry: '2025-01-01T00:00:00Z' }),
    peer('untagged', '127.0.8.5'),
    peer('v6-only', ['::1']),
    peer('GPU Box 01', '127.0.8.7'),
    peer('gpu-box-01', '127.0.8.8', { DNSName: 'gpu-box-01-1.tail1234.ts.net.' }), // MagicDNS keeps names unique
    peer('designer-mac', '127.0.8.9', { OS: 'macOS' }),
    peer('phone', '127.0.8.10', { OS: 'iOS' }),
  ]);
}
