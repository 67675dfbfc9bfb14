import os from 'node:os';
import { Readable } from 'node:stream';
import { OrchestratorError } from '../../shared/errors';
import { ContainerIdSchema, type Container, type ContainerAction, type ContainerActionResult, type ContainerList, type ContainerLogs, type ContainerStats } from '../../shared/schemas/containers';
import type { Node } from '../../shared/schemas/node';
import type { NodeRegistry } from '../registry/node-registry';
import type { AuditLog } from '../ssh/audit-log';
import { sshUser, type SshConnectionPool } from '../ssh/ssh-connection-pool';
import { sshDockerAgent } from './docker-dialer';
import { DockerEngine, type EngineContainer, type EngineStats } from './docker-engine';
import { dockerError } from './docker-errors';
import { splitLogFrames } from './log-frames';

const MAX_LOG_BYTES = 1024 * 1024;

/** Containers on each Docker-enabled node: list, stats, start/stop/restart and logs. */
export class ContainerService {
  readonly #engines = new Map<string, { key: string; engine: DockerEngine }>();

  constructor(
    private readonly registry: NodeRegistry,
    private readonly pool: SshConnectionPool,
    private readonly audit: AuditLog,
  ) {
    registry.events.on('change', (change) => {
      if (change.type !== 'added') this.#engines.delete(change.node.id); // address, ssh or docker may have changed
    });
  }

  /** The node, refused unless Docker is enabled on it. */
  dockerNode(id: string): Node {
    const node = this.registry.require(id);
    if (!node.docker?.enabled) throw new OrchestratorError('conflict', `Docker is not enabled on ${id}; set docker.enabled to true (PUT /cluster/nodes/${id})`, [{ field: 'docker.enabled', message: 'is not true' }], { code: 'docker_not_enabled', params: { node: id } });
    return node;
  }

  /** The node's engine client, reused while its settings stay the same. */
  engine(node: Node): DockerEngine {
    const key = JSON.stringify([node.tailscale_ip, node.ssh, node.docker]);
    const cached = this.#engines.get(node.id);
    if (cached?.key === key) return cached.engine;
    const engine =
      node.docker?.via === 'local'
        ? new DockerEngine({ socketPath: (node.docker.host ?? 'unix:///var/run/docker.sock').replace(/^unix:\/\//, '') })
        : new DockerEngine({ agent: sshDockerAgent(this.pool, node) });
    this.#engines.set(node.id, { key, engine });
    return engine;
  }

  /** Runs `use` against the node's daemon; every failure comes back as one clear error. */
  async call<T>(node: Node, use: (engine: DockerEngine) => Promise<T>): Promise<T> {
    try {
      return await use(this.engine(node));
    } catch (error) {
      throw dockerError(error, node, node.docker?.via === 'local' ? os.userInfo().username : sshUser(node));
    }
  }

  async list(id: string): Promise<ContainerList> {
    const node = this.dockerNode(id);
    const raw = await this.call(node, (e) => e.listContainers());
    const containers = raw.map(toContainer).sort((a, b) => a.name.localeCompare(b.name));
    return { node_id: id, containers, count: containers.length };
  }

  async stats(id: string, containerId: string): Promise<ContainerStats> {
    const node = this.dockerNode(id);
    const cid = parseContainerId(containerId);
    return toStats(await this.call(node, (e) => e.stats(cid)));
  }

  /** Audited before it acts: if the audit entry cannot be written, nothing happens. */
  async act(id: string, containerId: string, action: ContainerAction, actor: string): Promise<ContainerActionResult> {
    const node = this.dockerNode(id);
    const cid = parseContainerId(containerId);
    this.audit.record({ actor, action: `container_${action}`, nodes: [id], detail: cid, outcome: 'requested' });
    try {
      await this.call(node, (e) => e.containerAction(cid, action));
      const after = await this.call(node, (e) => e.inspectContainer(cid));
      this.audit.record({ actor, action: `container_${action}`, nodes: [id], detail: cid, outcome: `ok: ${after.State.Status}` });
      return { node_id: id, id: after.Id, action, state: after.State.Status };
    } catch (error) {
      const e = error as OrchestratorError;
      this.audit.record({ actor, action: `container_${action}`, nodes: [id], detail: cid, outcome: `${e.code ?? 'error'}: ${e.message}` });
      throw error;
    }
  }

  /** The last `tail` lines (at most 1 MiB of them, newest kept). */
  async logs(id: string, containerId: string, options: { tail: number; timestamps: boolean }): Promise<ContainerLogs> {
    const node = this.dockerNode(id);
    const cid = parseContainerId(containerId);
    const { raw, tty } = await this.call(node, async (e) => {
      const info = await e.inspectContainer(cid);
      return { raw: (await e.logs(cid, { ...options, follow: false })) as Buffer, tty: info.Config.Tty };
    });
    const lines = splitLogFrames(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw ?? '')), tty);
    // Keep the newest lines within the size limit (frames cannot be cut in the middle).
    let bytes = 0;
    let first = lines.length;
    while (first > 0 && bytes + lines[first - 1].text.length <= MAX_LOG_BYTES) bytes += lines[--first].text.length;
    return { node_id: id, id: cid, lines: lines.slice(first), truncated: first > 0 };
  }

  /**
   * Follows a container's log: each new line goes to `onLine` until the returned stop is called or
   * the log ends. `onReady` runs once the container is known to exist: Docker sends no answer to a
   * followed log until the container writes, so a caller that waited for it could wait for ever.
   */
  async follow(id: string, containerId: string, tail: number, handlers: { onReady(): void; onLine(line: ContainerLogs['lines'][number]): void; onEnd(error?: Error): void }): Promise<() => void> {
    const node = this.dockerNode(id);
    const cid = parseContainerId(containerId);
    const { onLine, onEnd } = handlers;
    const info = await this.call(node, (e) => e.inspectContainer(cid));
    handlers.onReady();
    const tty = info.Config.Tty;
    let stream: Readable;
    try {
      stream = (await this.call(node, (e) => e.logs(cid, { tail, timestamps: false, follow: true }, 24 * 3600_000))) as Readable;
    } catch (error) {
      onEnd(error as Error);
      return () => {};
    }
    let pending: Buffer = Buffer.alloc(0);
    stream.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      const { lines, rest } = splitLogFrames.partial(pending, tty);
      pending = rest;
      lines.forEach(onLine);
    });
    // Exactly one ending: 'end' when Docker closes the log, 'error' or a bare 'close' when the
    // connection dies under it (a killed daemon, a dropped SSH link).
    let done = false;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      onEnd(error);
    };
    stream.once('end', () => finish());
    stream.once('error', (error) => finish(dockerError(error, node, sshUser(node))));
    stream.once('close', () => finish(stream.readableEnded ? undefined : dockerError(new Error('the connection to Docker closed'), node, sshUser(node))));
    return () => stream.destroy();
  }
}

function parseContainerId(value: string): string {
  const parsed = ContainerIdSchema.safeParse(value);
  if (!parsed.success) throw new OrchestratorError('validation_error', `Invalid container id: ${parsed.error.issues[0]?.message}`, [{ field: 'container_id', message: parsed.error.issues[0]?.message ?? 'invalid' }]);
  return parsed.data;
}

export function toContainer(c: EngineContainer): Container {
  const health = /\((healthy|unhealthy|health: starting)\)/.exec(c.Status)?.[1]?.replace('health: ', '') ?? null;
  return {
    id: c.Id.slice(0, 12),
    name: (c.Names[0] ?? c.Id).replace(/^\//, ''),
    image: c.Image,
    state: c.State,
    status: c.Status,
    health,
    ports: c.Ports.map((p) => ({ private: p.PrivatePort, public: p.PublicPort ?? null, type: p.Type, ip: p.IP ?? null })),
    created_at: new Date(c.Created * 1000).toISOString(),
    service: c.Labels?.['com.docker.swarm.service.name'] ?? null,
  };
}

/** CPU % as `docker stats` computes it: the container's share of the host's CPU time since the previous read, times the CPUs. */
export function toStats(s: EngineStats): ContainerStats {
  const cpuDelta = s.cpu_stats.cpu_usage.total_usage - s.precpu_stats.cpu_usage.total_usage;
  const systemDelta = (s.cpu_stats.system_cpu_usage ?? 0) - (s.precpu_stats.system_cpu_usage ?? 0);
  const cpus = s.cpu_stats.online_cpus ?? s.cpu_stats.cpu_usage.percpu_usage?.length ?? 1;
  const cpu = systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * cpus * 100 : 0;
  // Like the docker CLI: page cache that can be dropped is not counted as used.
  const cache = s.memory_stats.stats?.inactive_file ?? s.memory_stats.stats?.total_inactive_file ?? 0;
  const used = Math.max(0, (s.memory_stats.usage ?? 0) - cache);
  const limit = s.memory_stats.limit ?? 0;
  return {
    id: s.id.slice(0, 12),
    name: s.name.replace(/^\//, ''),
    read_at: s.read,
    cpu_percent: Math.round(cpu * 100) / 100,
    memory_bytes: used,
    memory_limit_bytes: limit,
    memory_percent: limit > 0 ? Math.round((used / limit) * 10_000) / 100 : 0,
  };
}
