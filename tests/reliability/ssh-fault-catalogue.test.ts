import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type Caller } from '../helpers/service';
import { sshdMissing, startSshdFleet, type SshdFleet } from '../helpers/sshd';
import { tempDir } from '../helpers/temp-dir';
import { generatedHostKey } from '../../src/core/simulator/sim-node';

// Every way an SSH endpoint can misbehave, met by metrics, commands and SSH probes at once, with the
// background metrics poller running too. Each gives a clear error within its timeout, and the service
// answers /health throughout. An unhandled error anywhere would fail this file (vitest reports it).
const PORT = 2200;
const CONNECT_TIMEOUT_MS = 10_000; // the pool's readyTimeout: the bound for faults that just stall
const ip = (i: number) => `127.50.0.${i}`;
const BANNER = 'SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n';

type Behaviour = (socket: net.Socket) => void;
const rawFaults: Array<[string, Behaviour]> = [
  ['accept then reset', (s) => s.resetAndDestroy()],
  ['accept and stay silent', () => {}],
  ['garbage banner', (s) => s.write('\x00\xff\x13 this is not SSH \x1b[31m\r\n'.repeat(4) + 'SSH-9.9-???\r\n')],
  ['valid banner, then close', (s) => s.end(BANNER)],
  ['valid banner, then silence', (s) => s.write(BANNER)],
  [
    'byte-by-byte banner',
    (s) => {
      let i = 0;
      const drip = setInterval(() => (i < BANNER.length && !s.destroyed ? s.write(BANNER[i++]) : clearInterval(drip)), 150);
      s.on('close', () => clearInterval(drip));
    },
  ],
];

const servers: net.Server[] = [];
let fleet: SshdFleet;
let service: Awaited<ReturnType<typeof startTestService>>;
let call: Caller;
const slowestHealthMs: number[] = [];
let healthTimer: NodeJS.Timeout;
const healthFailures: string[] = [];
const table: string[] = [];

async function listen(server: net.Server, host: string): Promise<void> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen({ host, port: PORT }, resolve));
}

/** An SSH server that accepts anyone and answers every exec with endless output (a hostile node). */
function floodingSshServer(): net.Server {
  const server = new ssh2.Server({ hostKeys: [generatedHostKey()] }, (client) => {
    client.on('error', () => {});
    client.on('authentication', (ctx) => ctx.accept());
    client.on('session', (accept) =>
      accept().on('exec', (acceptExec) => {
        const channel = acceptExec();
        channel.on('error', () => {});
        const chunk = Buffer.alloc(16 * 1024, 'A');
        const pump = () => {
          while (!channel.destroyed && channel.write(chunk));
          if (!channel.destroyed) channel.once('drain', pump);
        };
        pump();
      }),
    );
  });
  return (server as unknown as { _srv: net.Server })._srv;
}

const node = (id: string, address: string, extra: Record<string, unknown> = {}) => ({
  id, hostname: id, tailscale_ip: address, role: 'worker', cpu_cores: 1, memory_gb: 1,
  probes: [{ type: 'ssh', port: PORT }], ssh: { user: 'mco', port: PORT, ...extra },
});

describe.skipIf(sshdMissing)('SSH fault catalogue: metrics, commands and probes against every misbehaving endpoint', () => {
  beforeAll(async () => {
    for (const [i, [, behaviour]] of rawFaults.entries()) {
      const server = net.createServer((socket) => {
        socket.on('error', () => {});
        behaviour(socket);
      });
      await listen(server, ip(i + 1));
    }
    await listen(floodingSshServer(), ip(20));
    fleet = await startSshdFleet([ip(30), ip(31), ip(32)], PORT);
    service = await startTestService({ HEALTH_CHECK_TIMEOUT: 1, METRICS_INTERVAL: 1, SSH_KEY_PATH: fleet.clientKey });
    call = service.call;
    const nodes = [
      ...rawFaults.map((_, i) => node(`raw-${i + 1}`, ip(i + 1))),
      node('flood', ip(20)),
      node('auth-refused', ip(30), { user: fleet.user, key_path: path.join(fleet.dir, 'not-authorized') }),
      node('key-change', ip(31), { user: fleet.user }),
      node('killed', ip(32), { user: fleet.user }),
    ];
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(fleet.dir, 'not-authorized')]);
    for (const body of nodes) expect((await call('POST', '/cluster/nodes', { body })).status).toBe(201);
    // /health is polled all along; its slowest answer shows whether anything blocked the event loop.
    healthTimer = setInterval(() => {
      const started = performance.now();
      // A new connection each time: a reused keep-alive socket the server is just closing would fail
      // the request for a reason that says nothing about the service.
      call('GET', '/health', { token: null, headers: { connection: 'close' } }).then(
        (r) => (r.status === 200 ? slowestHealthMs.push(performance.now() - started) : healthFailures.push(`status ${r.status}`)),
        (error: Error) => healthFailures.push(error.message),
      );
    }, 100);
  }, 60_000);

  afterAll(async () => {
    clearInterval(healthTimer);
    console.log(`[ssh-faults]\n${table.join('\n')}\n  slowest /health during the run: ${Math.round(Math.max(...slowestHealthMs))} ms over ${slowestHealthMs.length} calls`);
    await service?.close();
    await fleet?.stop();
    for (const server of servers) server.close();
  });

  it('each raw fault: a command, a metrics read and an SSH probe fail clearly within the connect timeout', async () => {
    const ids = rawFaults.map((_, i) => `raw-${i + 1}`);
    const started = performance.now();
    const [commands, ...metrics] = await Promise.all([
      call('POST', '/cluster/commands', { body: { node_ids: ids, command: 'uptime', timeout: 5 } }),
      ...ids.map((id) => call('GET', `/cluster/nodes/${id}/metrics`)),
    ]);
    const elapsed = performance.now() - started;
    expect(commands.status).toBe(200);
    for (const [i, [name]] of rawFaults.entries()) {
      const result = commands.body.results.find((r: { node_id: string }) => r.node_id === ids[i]);
      expect(result.exit_code, name).toBeNull();
      expect(result.error, name).toMatch(/SSH connection to .* failed|timed out|closed/i);
      expect(metrics[i].status, name).toBe(503);
      expect(metrics[i].body.error).toBe('unavailable');
      expect(metrics[i].body.message, name).toMatch(/SSH connection to mco@127\.50\.0\.\d+:2200 failed/);
      table.push(`  ${name.padEnd(28)} command: ${result.error.slice(0, 70)} | metrics: ${metrics[i].body.details[0].message}`);
    }
    expect(elapsed).toBeLessThan(CONNECT_TIMEOUT_MS + 3000);

    const probeStarted = performance.now();
    const checks = await Promise.all(ids.map((id) => call('GET', `/cluster/nodes/${id}/health`)));
    expect(performance.now() - probeStarted).toBeLessThan(1000 + 1500); // HEALTH_CHECK_TIMEOUT is 1 s
    for (const [i, [name]] of rawFaults.entries()) {
      expect(checks[i].body.status, name).toBe('unhealthy');
      const probe = checks[i].body.probes[0];
      expect(['reset', 'closed', 'timeout', 'ssh_protocol'], name).toContain(probe.reason);
      expect(probe.error, name).toBeTruthy();
      table[table.length - rawFaults.length + i] += ` | probe: ${probe.reason}`;
    }
  }, 40_000);

  it('a node that floods the metrics shell is cut off at the cap; a command to it is capped too', async () => {
    const metrics = await call('GET', '/cluster/nodes/flood/metrics');
    expect(metrics.status).toBe(503);
    expect(metrics.body.message).toMatch(/more than 64 KiB/);
    // Said by its reason, so a window says it in its own language (errors.metrics_too_large).
    expect(metrics.body).toMatchObject({ reason_code: 'metrics_too_large', reason_params: { node: 'flood', kib: 64 } });
    const run = await call('POST', '/cluster/commands', { body: { node_ids: ['flood'], command: 'yes', timeout: 2 } });
    const result = run.body.results[0];
    expect(result.stdout.length).toBeLessThan(300 * 1024);
    expect(result.stdout).toMatch(/output truncated/);
    table.push(`  ${'metrics shell flood'.padEnd(28)} metrics: ${metrics.body.message.slice(0, 90)}`);
  }, 20_000);

  it('ssh.key_path naming a FIFO, a device or a huge file is refused at once, without blocking', async () => {
    const dir = tempDir();
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const huge = path.join(dir, 'huge');
    fs.writeFileSync(huge, Buffer.alloc(1024 * 1024));
    for (const [keyPath, why] of [[fifo, 'is not a regular file'], ['/dev/zero', 'is not a regular file'], [huge, 'a private key is at most']] as const) {
      expect((await call('PUT', '/cluster/nodes/key-change', { body: { ssh: { user: fleet.user, port: PORT, key_path: keyPath } } })).status).toBe(200);
      const started = performance.now();
      const metrics = await call('GET', '/cluster/nodes/key-change/metrics');
      expect(performance.now() - started).toBeLessThan(1000);
      expect(metrics.status).toBe(409); // the node's stored field does not fit this machine (issue 32, finding 18)
      expect(metrics.body.details).toContainEqual({ field: 'ssh.key_path', message: expect.stringContaining(why) });
      table.push(`  ${`key_path ${path.basename(keyPath)}`.padEnd(28)} ${metrics.body.message.slice(0, 100)}`);
    }
    await call('PUT', '/cluster/nodes/key-change', { body: { ssh: { user: fleet.user, port: PORT } } });
  }, 20_000);

  it('real sshd: auth refused, a changed host key and sshd killed mid-command each end clearly', async () => {
    const auth = await call('GET', '/cluster/nodes/auth-refused/metrics');
    expect(auth.status).toBe(401);
    expect(auth.body.message).toMatch(/SSH authentication failed/);
    table.push(`  ${'auth refused'.padEnd(28)} ${auth.body.message}`);

    expect((await call('GET', '/cluster/nodes/key-change/metrics')).status).toBe(200); // pins the key
    const running = call('POST', '/cluster/commands', { body: { node_ids: ['killed'], command: 'sleep 30', timeout: 20 } });
    await new Promise((r) => setTimeout(r, 800));
    const killedAt = performance.now();
    // Kill this fleet's sshd and its per-connection processes (two levels), not other suites' sessions.
    const children = (ppids: number[]): number[] => {
      try {
        return execFileSync('pgrep', ['-P', ppids.join(',')], { encoding: 'utf8' }).trim().split('\n').map(Number);
      } catch {
        return [];
      }
    };
    const sessions = children(fleet.pids());
    const sessionChildren = sessions.length > 0 ? children(sessions) : [];
    fleet.killAll();
    for (const pid of [...sessions, ...sessionChildren]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    const killed = (await running).body.results[0];
    expect(killed.exit_code).toBeNull();
    expect(killed.error).toMatch(/connection closed|killed by signal|channel failed/);
    expect(performance.now() - killedAt).toBeLessThan(5000);
    table.push(`  ${'sshd killed mid-command'.padEnd(28)} ${killed.error}`);

    await fleet.rotateHostKey();
    const changed = await call('GET', '/cluster/nodes/key-change/metrics');
    expect(changed.status).toBe(409);
    expect(changed.body.message).toMatch(/host key .* changed: pinned SHA256:.+, presented SHA256:/);
    table.push(`  ${'host-key change'.padEnd(28)} ${changed.body.message.slice(0, 100)}…`);
    const events = await call('GET', '/cluster/events');
    expect(events.body.events.some((e: { kind: string; node: string }) => e.kind === 'host_key_changed' && e.node === 'key-change')).toBe(true);
  }, 40_000);

  it('the service answered /health throughout, never blocked', () => {
    expect(healthFailures).toEqual([]);
    expect(slowestHealthMs.length).toBeGreaterThan(50);
    expect(Math.max(...slowestHealthMs)).toBeLessThan(1500);
  });
});
