import type { Agent, Dispatcher } from 'undici';
import { loadUndici } from '../util/lazy-modules';
import type { HttpProbe } from '../../shared/schemas/probe';
import { classifyError, ProbeFailure } from './probe-failure';
import { formatHost } from './tcp-probe';

const MAX_BODY_BYTES = 64 * 1024;
const seconds = (ms: number) => `${Number((ms / 1000).toFixed(2))}s`;

// One agent for all probes: keep-alive connections are reused from sweep to sweep.
// Probe targets are the operator's own machines, often with self-signed certificates.
let sharedAgent: Agent | undefined;
export async function probeAgent(): Promise<Agent> {
  const { Agent } = await loadUndici();
  sharedAgent ??= new Agent({ connections: 2, keepAliveTimeout: 60_000, connect: { rejectUnauthorized: false } });
  return sharedAgent;
}

/** What a monitor's HTTP probes say they are, so a node's logs name the monitor that probed. */
export function probeUserAgent(version: string, instance: string): string {
  // Header-safe: the instance is a host-like name, but anything else is dropped rather than sent.
  return `mcp-cloud-orchestrator/${version.replace(/[^\w.+-]/g, '')} (${instance.replace(/[^\w.@:-]/g, '')})`;
}
const DEFAULT_USER_AGENT = 'mcp-cloud-orchestrator';

export function httpProbeUrl(probe: HttpProbe, host: string): string {
  if (probe.url) return probe.url;
  const port = probe.port ?? (probe.scheme === 'https' ? 443 : 80);
  return `${probe.scheme}://${formatHost(host)}:${port}${probe.path}`;
}

function statusExpected(probe: HttpProbe, status: number): boolean {
  const expected = probe.expect_status;
  if (expected === undefined) return status >= 200 && status <= 399;
  if (typeof expected === 'number') return status === expected;
  return status >= expected[0] && status <= expected[1];
}

/**
 * One HTTP(S) check with a single hard deadline over connect, headers and body.
 * Resolves with latency and status; rejects with a ProbeFailure whose reason tells which phase failed.
 */
export async function httpCheck(
  probe: HttpProbe,
  host: string,
  timeoutMs: number,
  dispatcher?: Dispatcher,
  userAgent = DEFAULT_USER_AGENT,
): Promise<{ latency_ms: number; status_code: number }> {
  const { request } = await loadUndici();
  dispatcher ??= await probeAgent();
  const url = httpProbeUrl(probe, host);
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  const started = performance.now();
  let phase: 'headers' | 'body' = 'headers';
  try {
    const response = await request(url, {
      method: 'GET',
      dispatcher,
      signal: deadline.signal,
      // The abort deadline is the real limit; undici's own timers only back it up.
      headersTimeout: timeoutMs + 1000,
      bodyTimeout: timeoutMs + 1000,
      headers: { 'user-agent': userAgent, accept: '*/*' },
    });
    phase = 'body';
    let received = 0;
    for await (const chunk of response.body) {
      received += (chunk as Buffer).length;
      if (received >= MAX_BODY_BYTES) break; // enough to know the body flows; stop reading
    }
    if (received >= MAX_BODY_BYTES) response.body.destroy();
    const latency = performance.now() - started;
    if (!statusExpected(probe, response.statusCode)) {
      throw new ProbeFailure('http_status', `${url} answered HTTP ${response.statusCode}`, response.statusCode);
    }
    return { latency_ms: latency, status_code: response.statusCode };
  } catch (error) {
    if (deadline.signal.aborted) {
      throw phase === 'headers'
        ? new ProbeFailure('timeout_headers', `${url} sent no response within ${seconds(timeoutMs)} (accepted, then hung)`)
        : new ProbeFailure('timeout_body', `${url} did not finish its body within ${seconds(timeoutMs)} (slow body)`);
    }
    const code = (error as { code?: string }).code;
    if (code === 'UND_ERR_HEADERS_TIMEOUT') throw new ProbeFailure('timeout_headers', `${url} sent no response headers within ${seconds(timeoutMs)}`);
    if (code === 'UND_ERR_BODY_TIMEOUT') throw new ProbeFailure('timeout_body', `${url} stalled while sending its body`);
    if (code === 'UND_ERR_CONNECT_TIMEOUT') throw new ProbeFailure('timeout_connect', `no connection to ${url} within ${seconds(timeoutMs)}`);
    throw classifyError(error, url);
  } finally {
    clearTimeout(timer);
  }
}
