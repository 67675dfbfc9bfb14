import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client, ConnectConfig } from 'ssh2';
import { loadSsh2 } from '../util/lazy-modules';
import { OrchestratorError } from '../../shared/errors';
import type { Node } from '../../shared/schemas/node';
import { classifySshError } from '../prober/probe-failure';
import { formatHost } from '../prober/tcp-probe';
import { fingerprint, type HostKeyStore } from './host-key-store';
import { readPrivateKey } from './private-key';

export interface SshAuthOptions {
  /** SSH_KEY_PATH: used when a node names no key. */
  defaultKeyPath?: string;
  /** SSH_AUTH_SOCK: an agent is tried too when present. */
  agentSocket?: string;
  /** Passphrase for an encrypted key: environment in headless, safeStorage in the desktop app. */
  passphraseFor?: (keyPath: string) => string | undefined;
  /** 'approve': an unpinned host key is refused until a person approves it. */
  hostKeyPolicy: 'tofu' | 'approve';
  keepaliveMs?: number;
  idleCloseMs?: number;
  connectTimeoutMs?: number;
}

export interface HostKeyChange {
  node_id: string;
  pinned: string[];
  presented: string;
}

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((name) => path.join(os.homedir(), '.ssh', name));

export function sshUser(node: Node): string {
  return node.ssh?.user ?? os.userInfo().username;
}

export function sshTarget(node: Node): string {
  return `${sshUser(node)}@${formatHost(node.tailscale_ip)}:${node.ssh?.port ?? 22}`;
}

interface PooledConnection {
  client: Client;
  idleTimer: NodeJS.Timeout | null;
  users: number;
}

/**
 * One SSH connection per node, reused across commands and metrics polls; kept alive with keep-alives
 * and closed after being idle. Every connection checks the node's pinned host key first.
 */
export class SshConnectionPool {
  readonly #connections = new Map<string, PooledConnection>();
  readonly #connecting = new Map<string, Promise<PooledConnection>>();

  constructor(
    private readonly hostKeys: HostKeyStore,
    private readonly auth: SshAuthOptions,
    private readonly onHostKeyChanged: (change: HostKeyChange) => void,
  ) {}

  get size(): number {
    return this.#connections.size;
  }

  /** Runs `use` with a ready connection to the node; the connection stays pooled afterwards. */
  async with<T>(node: Node, use: (client: Client) => Promise<T>): Promise<T> {
    const connection = await this.#acquire(node);
    connection.users++;
    if (connection.idleTimer) clearTimeout(connection.idleTimer);
    try {
      return await use(connection.client);
    } finally {
      connection.users--;
      this.#armIdle(node.id, connection);
    }
  }

  /** Holds a connection open for a long-lived channel (metrics); returns a release function. */
  async hold(node: Node): Promise<{ client: Client; release: () => void }> {
    const connection = await this.#acquire(node);
    connection.users++;
    if (connection.idleTimer) clearTimeout(connection.idleTimer);
    let released = false;
    return {
      client: connection.client,
      release: () => {
        if (released) return;
        released = true;
        connection.users--;
        this.#armIdle(node.id, connection);
      },
    };
  }

  drop(nodeId: string): void {
    const connection = this.#connections.get(nodeId);
    this.#connections.delete(nodeId);
    if (connection) {
      if (connection.idleTimer) clearTimeout(connection.idleTimer);
      connection.client.end();
    }
  }

  /** A pooled connection that failed after `ready` leaves the pool; the next use reconnects. */
  #forget(nodeId: string, client: Client): void {
    const connection = this.#connections.get(nodeId);
    if (connection?.client !== client) return;
    this.#connections.delete(nodeId);
    if (connection.idleTimer) clearTimeout(connection.idleTimer);
    client.end();
  }

  closeAll(): void {
    for (const id of [...this.#connections.keys()]) this.drop(id);
  }

  #armIdle(nodeId: string, connection: PooledConnection): void {
    if (connection.users > 0 || this.#connections.get(nodeId) !== connection) return;
    connection.idleTimer = setTimeout(() => this.drop(nodeId), this.auth.idleCloseMs ?? 5 * 60_000);
    connection.idleTimer.unref?.();
  }

  #acquire(node: Node): Promise<PooledConnection> {
    const existing = this.#connections.get(node.id);
    if (existing) return Promise.resolve(existing);
    let pending = this.#connecting.get(node.id);
    if (!pending) {
      pending = this.#connect(node).finally(() => this.#connecting.delete(node.id));
      this.#connecting.set(node.id, pending);
    }
    return pending;
  }

  async #connect(node: Node): Promise<PooledConnection> {
    const target = sshTarget(node);
    const keyPath = node.ssh?.key_path ?? this.auth.defaultKeyPath ?? DEFAULT_KEYS.find((k) => fs.existsSync(k));
    const privateKey = keyPath ? await readPrivateKey(keyPath, node.id) : undefined;
    const ssh2 = await loadSsh2();
    return new Promise((resolve, reject) => {
      const client = new ssh2.Client();
      let settled = false;
      let verdict: ReturnType<HostKeyStore['verify']> | null = null;
      let presented = '';
      const config: ConnectConfig = {
        host: node.tailscale_ip,
        port: node.ssh?.port ?? 22,
        username: sshUser(node),
        privateKey,
        passphrase: keyPath ? this.auth.passphraseFor?.(keyPath) : undefined,
        agent: this.auth.agentSocket,
        readyTimeout: this.auth.connectTimeoutMs ?? 10_000,
        keepaliveInterval: this.auth.keepaliveMs ?? 15_000,
        keepaliveCountMax: 3,
        hostVerifier: (key: Buffer) => {
          presented = fingerprint(key);
          verdict = this.hostKeys.verify(node.id, key);
          if (verdict.kind === 'match') return true;
          if (verdict.kind === 'mismatch') return false;
          if (this.auth.hostKeyPolicy === 'approve') return false;
          this.hostKeys.pin(node.id, [presented], 'tofu'); // trust on first use
          return true;
        },
      };
      client.once('ready', () => {
        // Small request/answer exchanges (metrics polls, short commands) must not wait on Nagle's
        // algorithm against the peer's delayed ACK: that alone cost ~40 ms per round trip.
        client.setNoDelay(true);
        settled = true;
        const connection: PooledConnection = { client, idleTimer: null, users: 0 };
        this.#connections.set(node.id, connection);
        client.on('close', () => {
          if (this.#connections.get(node.id) === connection) this.#connections.delete(node.id);
        });
        resolve(connection);
      });
      // `on`, not `once`: ssh2 can emit a second error (e.g. ECONNRESET, then "Connection lost before
      // handshake"), and after `ready` a dead socket errors too; an unhandled one would end the process.
      client.on('error', (error: Error & { level?: string }) => {
        if (settled) {
          this.#forget(node.id, client);
          return;
        }
        settled = true;
        client.end();
        const v = verdict as ReturnType<HostKeyStore['verify']> | null;
        if (v?.kind === 'mismatch') {
          this.onHostKeyChanged({ node_id: node.id, pinned: v.pinned, presented: v.presented });
          return reject(
            new OrchestratorError(
              'conflict',
              `SSH host key of ${node.id} (${target}) changed: pinned ${v.pinned.join(', ')}, presented ${v.presented}. ` +
                `Refusing to connect until the pin is removed (DELETE /cluster/nodes/${node.id}/host-key).`,
              [{ field: 'host_key', message: 'changed' }],
              { code: 'ssh_host_key_changed', params: { node: node.id, target } },
            ),
          );
        }
        if (v?.kind === 'new' && this.auth.hostKeyPolicy === 'approve') {
          return reject(new OrchestratorError('forbidden', `SSH host key ${presented} of ${node.id} is not approved yet (host key policy: approve)`, [{ field: 'host_key', message: 'not approved' }], { code: 'ssh_host_key_unapproved', params: { node: node.id } }));
        }
        if (error.level === 'client-authentication') {
          const tried = [privateKey ? `key ${keyPath}` : null, this.auth.agentSocket ? 'agent' : null].filter(Boolean).join(', ') || 'no key or agent';
          return reject(new OrchestratorError('unauthorized', `SSH authentication failed for ${target} (tried ${tried})`, [{ field: 'ssh', message: 'authentication failed' }], { code: 'ssh_auth_failed', params: { target } }));
        }
        const failure = classifySshError(error, `ssh://${target}`);
        reject(
          new OrchestratorError('unavailable', `SSH connection to ${target} failed: ${failure.message}`, [{ field: 'ssh', message: failure.reason }], {
            code: 'ssh_failed',
            params: { target, cause_code: failure.reason, 'cause.target': `ssh://${target}` },
          }),
        );
      });
      // A server that closes after its banner (or mid-handshake) emits no error, only `close`.
      client.on('close', () => {
        if (settled) return;
        settled = true;
        reject(new OrchestratorError('unavailable', `SSH connection to ${target} failed: the server closed the connection during the handshake`, [{ field: 'ssh', message: 'closed' }], { code: 'ssh_closed', params: { target } }));
      });
      try {
        client.connect(config);
      } catch (error) {
        settled = true;
        reject(new OrchestratorError('bad_request', `SSH connection to ${target} could not start: ${(error as Error).message}`));
      }
    });
  }
}
