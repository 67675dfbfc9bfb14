import type { ConnectConfig } from 'ssh2';
import { loadSsh2 } from '../util/lazy-modules';
import { classifyError, classifySshError, ProbeFailure } from './probe-failure';
import { formatHost } from './tcp-probe';

export interface SshProbeCredentials {
  username: string;
  privateKey?: Buffer;
  agent?: string;
}

/**
 * Checks that an SSH server completes its handshake; with credentials it must also accept them.
 * Host keys are not pinned here: the SSH service does that before running anything.
 */
export async function sshCheck(host: string, port: number, timeoutMs: number, credentials?: SshProbeCredentials): Promise<number> {
  const { Client } = await loadSsh2();
  const target = `ssh://${formatHost(host)}:${port}`;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const client = new Client();
    let settled = false;
    const finish = (error?: ProbeFailure): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.end();
      client.destroy();
      if (error) reject(error);
      else resolve(performance.now() - started);
    };
    const timer = setTimeout(() => finish(new ProbeFailure('timeout', `no SSH handshake with ${target} within ${timeoutMs / 1000}s`)), timeoutMs);
    client.on('handshake', () => {
      if (!credentials) finish();
    });
    client.on('ready', () => finish());
    client.on('error', (error: Error & { level?: string }) => finish(classifySshError(error, target)));
    client.on('close', () => finish(new ProbeFailure('closed', `${target} closed the connection during the SSH handshake`)));
    const config: ConnectConfig = {
      host,
      port,
      readyTimeout: timeoutMs + 1000, // our own timer is the deadline
      username: credentials?.username ?? 'probe',
      privateKey: credentials?.privateKey,
      agent: credentials?.agent,
      authHandler: credentials ? undefined : () => false, // handshake only
    };
    try {
      client.connect(config);
    } catch (error) {
      finish(classifyError(error, target));
    }
  });
}
