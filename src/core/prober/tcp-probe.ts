import net from 'node:net';
import { classifyError, ProbeFailure } from './probe-failure';

/** Resolves with the connect latency in ms; rejects with a ProbeFailure. */
export function tcpConnect(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<number> {
  const target = `${formatHost(host)}:${port}`;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = net.connect({ host, port });
    const finish = (error?: ProbeFailure): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (error) reject(error);
      else resolve(performance.now() - started);
    };
    const onAbort = (): void => finish(new ProbeFailure('timeout', `check of ${target} was cancelled`));
    const timer = setTimeout(() => finish(new ProbeFailure('timeout_connect', `no TCP connection to ${target} within ${timeoutMs / 1000}s`)), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish());
    socket.once('error', (error) => finish(classifyError(error, target)));
  });
}

export function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
