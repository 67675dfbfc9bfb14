import os from 'node:os';
import type { Node } from '../../shared/schemas/node';
import { DEFAULT_PROBE, type Probe, type ProbeResult } from '../../shared/schemas/probe';
import { httpCheck, httpProbeUrl } from './http-probe';
import { classifyError } from './probe-failure';
import { sshCheck } from './ssh-probe';
import { readPrivateKey } from '../ssh/private-key';
import { formatHost, tcpConnect } from './tcp-probe';
import { redactUrlCredentials } from '../util/redaction';

export interface NodeCheckResult {
  ok: boolean;
  latency_ms: number | null;
  error: string | null;
  reason: string | null;
  probes: ProbeResult[];
  checked_at: string;
}

/** What results, events and errors show of a probe: its URL without any user:password. */
function targetOf(probe: Probe, host: string): string {
  if (probe.type === 'http') return redactUrlCredentials(httpProbeUrl(probe, host));
  return `${probe.type}://${formatHost(host)}:${probe.port}`;
}

async function runProbe(probe: Probe, node: Node, timeoutMs: number, options: CheckOptions): Promise<ProbeResult> {
  const host = node.tailscale_ip;
  const target = targetOf(probe, host);
  const base = { type: probe.type, target };
  try {
    if (probe.type === 'tcp') return { ...base, ok: true, latency_ms: await tcpConnect(host, probe.port, timeoutMs), reason: null, error: null };
    if (probe.type === 'http') {
      const { latency_ms, status_code } = await httpCheck(probe, host, timeoutMs, undefined, options.userAgent);
      return { ...base, ok: true, latency_ms, reason: null, error: null, status_code };
    }
    // An unusable key (missing, a FIFO, a device, too large) means a handshake-only check.
    const key = node.ssh?.key_path ? await readPrivateKey(node.ssh.key_path, node.id).catch(() => undefined) : undefined;
    const credentials = key ? { username: node.ssh?.user ?? os.userInfo().username, privateKey: key } : undefined;
    return { ...base, ok: true, latency_ms: await sshCheck(host, probe.port, timeoutMs, credentials), reason: null, error: null };
  } catch (error) {
    const failure = classifyError(error, target);
    return { ...base, ok: false, latency_ms: null, reason: failure.reason, error: redactUrlCredentials(failure.message), ...(failure.statusCode ? { status_code: failure.statusCode } : {}) };
  }
}

export interface CheckOptions {
  /** The HTTP probes' User-Agent: names the monitor that probed (probeUserAgent). */
  userAgent?: string;
}

/** Runs all of a node's probes at once (TCP :22 when it has none); healthy only if every probe passes. */
export async function checkNode(node: Node, timeoutMs: number, options: CheckOptions = {}): Promise<NodeCheckResult> {
  const probes = node.probes.length > 0 ? node.probes : [DEFAULT_PROBE];
  const results = await Promise.all(probes.map((probe) => runProbe(probe, node, timeoutMs, options)));
  const failed = results.find((r) => !r.ok);
  const latencies = results.map((r) => r.latency_ms).filter((l): l is number => l !== null);
  return {
    ok: !failed,
    latency_ms: failed ? null : Math.round(Math.max(...latencies) * 100) / 100,
    error: failed?.error ?? null,
    reason: failed?.reason ?? null,
    probes: results,
    checked_at: new Date().toISOString(),
  };
}

export type NodeChecker = (node: Node, timeoutMs: number) => Promise<NodeCheckResult>;
