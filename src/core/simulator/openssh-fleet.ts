import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';

export const SSHD = process.env.SSHD_PATH ?? '/usr/sbin/sshd';
export const sshdMissing = fs.existsSync(SSHD) ? null : `OpenSSH sshd not found at ${SSHD}; run scripts/install-system-deps.sh`;

export interface SshdFleet {
  dir: string;
  /** Private key the fleet's authorized_keys accepts. */
  clientKey: string;
  user: string;
  port: number;
  addresses: string[];
  hostKeyFingerprint(): string;
  /** PIDs of the listening sshd processes (each connection is a child of one of them). */
  pids(): number[];
  /** Restarts every sshd with a new host key (a "reinstalled" machine). */
  rotateHostKey(): Promise<void>;
  killAll(): void;
  stop(): Promise<void>;
}

function keygen(file: string, type = 'ed25519'): void {
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', file, '-C', 'mco-test']);
}

function waitForPort(host: string, port: number, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect({ host, port });
      socket.once('connect', () => (socket.destroy(), resolve()));
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > until) reject(new Error(`sshd did not listen on ${host}:${port}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/**
 * The account the fleet logs in as. As root this is a system user with /bin/sh as its shell, because
 * bash sources ~/.bashrc for commands run by sshd and a heavy root profile would dominate every exec.
 */
function fleetUser(): string {
  if (process.getuid?.() !== 0) return os.userInfo().username;
  const name = 'mco-fleet';
  try {
    execFileSync('id', ['-u', name], { stdio: 'ignore' });
  } catch {
    // '*': no password, but not locked (sshd without PAM refuses locked accounts even with a key).
    execFileSync('useradd', ['--system', '--create-home', '--shell', '/bin/sh', '--password', '*', name], { stdio: 'ignore' });
  }
  return name;
}

/**
 * For tests and the bench: real OpenSSH sshd processes on loopback addresses, with their own host key, config and
 * authorized_keys. One sshd listens on at most 16 addresses, so larger fleets start several.
 * `extraConfig` lines go at the end of each config (Match blocks).
 */
export async function startSshdFleet(addresses: string[], port = 2222, options: { extraConfig?: string[] } = {}): Promise<SshdFleet> {
  if (addresses.some((a) => !a.startsWith('127.'))) throw new Error('sshd fleets listen on loopback addresses only');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mco-sshd-'));
  fs.chmodSync(dir, 0o755); // sshd reads authorized_keys as the login user
  fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const clientKey = path.join(dir, 'client_key');
  keygen(clientKey);
  fs.copyFileSync(`${clientKey}.pub`, path.join(dir, 'authorized_keys'));
  fs.chmodSync(path.join(dir, 'authorized_keys'), 0o644);
  const user = fleetUser();
  let processes: ChildProcess[] = [];
  let generation = 0;

  const start = async () => {
    generation++;
    const hostKey = path.join(dir, `host_key_${generation}`);
    keygen(hostKey);
    const groups: string[][] = [];
    for (let i = 0; i < addresses.length; i += 16) groups.push(addresses.slice(i, i + 16));
    processes = groups.map((group, g) => {
      const config = path.join(dir, `sshd_config_${generation}_${g}`);
      fs.writeFileSync(
        config,
        [
          `Port ${port}`,
          ...group.map((a) => `ListenAddress ${a}`),
          `HostKey ${hostKey}`,
          `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
          `PidFile ${path.join(dir, `sshd_${generation}_${g}.pid`)}`,
          'PasswordAuthentication no',
          'KbdInteractiveAuthentication no',
          'PubkeyAuthentication yes',
          'PermitRootLogin prohibit-password',
          'StrictModes no',
          'UsePAM no',
          'MaxStartups 500:30:1000',
          'MaxSessions 100',
          `LogLevel ${process.env.MCO_SSHD_LOGLEVEL ?? 'ERROR'}`,
          'Subsystem sftp internal-sftp',
          // Last: Match blocks (e.g. a per-address environment) run to the end of the file.
          ...(options.extraConfig ?? []),
        ].join('\n') + '\n',
      );
      const child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', process.env.MCO_SSHD_LOGLEVEL ? 'inherit' : 'ignore'] });
      child.on('error', () => {}); // a failed spawn shows as an exit code below ("sshd exited at start")
      return child;
    });
    await Promise.all(addresses.map((a) => waitForPort(a, port)));
    // Another process on the port would answer too; make sure ours are the ones listening.
    await new Promise((r) => setTimeout(r, 100));
    const died = processes.find((p) => p.exitCode !== null || p.signalCode !== null);
    if (died) throw new Error(`sshd exited at start (code ${died.exitCode}); is port ${port} on these addresses already taken?`);
  };
  const stopAll = async () => {
    await Promise.all(
      processes.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null || p.signalCode !== null) return resolve();
            p.once('exit', () => resolve());
            p.kill('SIGTERM');
          }),
      ),
    );
  };
  await start();
  return {
    dir,
    clientKey,
    user,
    port,
    addresses,
    pids: () => processes.map((p) => p.pid!).filter(Boolean),
    hostKeyFingerprint: () => execFileSync('ssh-keygen', ['-l', '-f', path.join(dir, `host_key_${generation}.pub`)], { encoding: 'utf8' }).split(' ')[1],
    async rotateHostKey() {
      await stopAll();
      await start();
    },
    killAll() {
      for (const p of processes) p.kill('SIGKILL');
    },
    async stop() {
      await stopAll();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
