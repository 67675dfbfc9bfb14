import http from 'node:http';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { ClientChannel } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { DialStdioSocket } from '../../src/core/containers/docker-dialer';

/**
 * A dial-stdio channel as the Engine API answers over it: every request gets one small response,
 * and the channel stays open (keep-alive). Stands in for the SSH exec channel only; Node's own HTTP
 * client and agent do the rest, as they do against a node.
 */
function engineChannel(): ClientChannel {
  const channel = new PassThrough() as unknown as ClientChannel & PassThrough;
  const stderr = new EventEmitter();
  let pending = '';
  const toServer = new PassThrough();
  Object.assign(channel, {
    stderr,
    close: () => channel.destroy(),
    write: (chunk: Buffer, callback?: () => void) => {
      pending += chunk.toString();
      while (pending.includes('\r\n\r\n')) {
        pending = pending.slice(pending.indexOf('\r\n\r\n') + 4);
        channel.push('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n{}');
      }
      callback?.();
      return true;
    },
    end: () => toServer.end(),
  });
  return channel;
}

// Issue 41, item 6: `MaxListenersExceededWarning: 11 timeout listeners added to [DialStdioSocket]`.
describe('a kept dial-stdio channel', () => {
  it('carries 1,000 requests with a timeout each without gathering listeners', async () => {
    const sockets: DialStdioSocket[] = [];
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1, timeout: 5000 });
    (agent as unknown as { createConnection: unknown }).createConnection = (_o: unknown, callback: (e: Error | null, s?: unknown) => void) => {
      const socket = new DialStdioSocket(engineChannel());
      sockets.push(socket);
      callback(null, socket);
      return undefined;
    };
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    const counts: number[] = [];
    try {
      for (let i = 0; i < 1000; i++) {
        await new Promise<void>((resolve, reject) => {
          const req = http.request({ agent, host: 'docker', path: '/_ping', timeout: 10_000 }, (res) => {
            res.resume();
            res.on('end', resolve);
          });
          req.on('error', reject);
          req.end();
        });
        if (i % 100 === 99) counts.push(sockets[0].listenerCount('timeout'));
      }
    } finally {
      process.off('warning', onWarning);
      agent.destroy();
    }
    expect(sockets).toHaveLength(1); // one kept channel carried them all
    expect(new Set(counts).size).toBe(1); // flat from the 100th request to the 1,000th
    expect(counts[0]).toBeLessThanOrEqual(2);
    expect(warnings.filter((w) => w.includes('timeout listeners'))).toEqual([]);
  }, 30_000);
});
