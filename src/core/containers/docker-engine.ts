import type http from 'node:http';
import type { Readable } from 'node:stream';
import type Modem from 'docker-modem';
import { loadDockerModem } from '../util/lazy-modules';

// The slice of the Docker Engine API we use (v1.41+, Docker 20.10 and later), typed where we read it.
export interface EngineContainer {
  Id: string;
  Names: string[];
  Image: string;
  State: string;
  Status: string;
  Created: number;
  Ports: Array<{ PrivatePort: number; PublicPort?: number; Type: string; IP?: string }>;
  Labels: Record<string, string> | null;
}
export interface EngineStats {
  read: string;
  name: string;
  id: string;
  cpu_stats: { cpu_usage: { total_usage: number; percpu_usage?: number[] }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats: { cpu_usage: { total_usage: number }; system_cpu_usage?: number };
  memory_stats: { usage?: number; limit?: number; stats?: Record<string, number> };
}
export interface EngineInfo {
  Name: string;
  ServerVersion: string;
  Swarm: { NodeID: string; LocalNodeState: string; ControlAvailable: boolean; RemoteManagers: Array<{ NodeID: string; Addr: string }> | null; Nodes?: number; Managers?: number };
}
export interface EngineSwarmNode {
  ID: string;
  Version: { Index: number };
  Spec: { Role: 'manager' | 'worker'; Availability: 'active' | 'pause' | 'drain'; Labels?: Record<string, string>; Name?: string };
  Description: { Hostname: string; Resources?: EngineResources };
  Status: { State: string; Addr?: string };
  ManagerStatus?: { Leader?: boolean; Reachability: string; Addr: string };
}
export interface EngineResources {
  NanoCPUs?: number;
  MemoryBytes?: number;
}
/** A Swarm service spec, as POST /services/create takes it and GET /services/{id} shows it. */
export interface EngineServiceSpec {
  Name: string;
  Labels?: Record<string, string>;
  TaskTemplate: {
    ContainerSpec: { Image: string; Args?: string[]; Command?: string[]; Env?: string[]; Init?: boolean; Labels?: Record<string, string> };
    Resources?: { Reservations?: EngineResources; Limits?: EngineResources };
    RestartPolicy?: { Condition?: string; Delay?: number; MaxAttempts?: number };
    Placement?: { Constraints?: string[]; MaxReplicas?: number };
    ForceUpdate?: number;
  };
  Mode: { Replicated?: { Replicas?: number }; Global?: object; ReplicatedJob?: { MaxConcurrent?: number; TotalCompletions?: number }; GlobalJob?: object };
  UpdateConfig?: EngineUpdateConfig;
  RollbackConfig?: EngineUpdateConfig;
  EndpointSpec?: { Mode?: string; Ports?: Array<{ Protocol?: string; TargetPort: number; PublishedPort?: number; PublishMode?: string }> };
}
export interface EngineUpdateConfig {
  Parallelism?: number;
  Delay?: number;
  FailureAction?: string;
  Monitor?: number;
  MaxFailureRatio?: number;
  Order?: string;
}
export interface EngineService {
  ID: string;
  Version?: { Index: number };
  CreatedAt?: string;
  UpdatedAt?: string;
  Spec: EngineServiceSpec;
  UpdateStatus?: { State?: string; StartedAt?: string; CompletedAt?: string; Message?: string };
  /** With ?status=true (API 1.41). */
  ServiceStatus?: { RunningTasks: number; DesiredTasks: number; CompletedTasks?: number };
}
export interface EngineTask {
  ID: string;
  ServiceID: string;
  Slot?: number;
  NodeID?: string;
  CreatedAt?: string;
  UpdatedAt: string;
  DesiredState: string;
  Status: { State: string; Err?: string; Message?: string; Timestamp?: string; ContainerStatus?: { ContainerID?: string; ExitCode?: number } };
  Spec?: { ContainerSpec?: { Image?: string }; Resources?: { Reservations?: EngineResources; Limits?: EngineResources } };
}
/** An answer from the daemon other than the one asked for: keeps the status and Docker's message. */
export class EngineStatusError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'EngineStatusError';
  }
}

export type EngineTarget = { agent: http.Agent } | { socketPath: string };

interface DialOptions {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean>;
  body?: unknown;
  stream?: boolean;
  timeoutMs?: number;
}

/** A thin typed Docker Engine API client on docker-modem, over any transport (SSH dial-stdio or a socket). */
export class DockerEngine {
  readonly #modem: Promise<Modem>;

  constructor(target: EngineTarget) {
    // docker-modem (and ssh2 behind it) loads with the first engine, not at start-up.
    // With an agent, host and port are placeholders: the agent's connections go over SSH.
    this.#modem = loadDockerModem().then((DockerModem) =>
      'agent' in target ? new DockerModem({ host: 'docker', port: 80, protocol: 'http', agent: target.agent }) : new DockerModem({ socketPath: target.socketPath }),
    );
    this.#modem.catch(() => {}); // a failed load is reported by the call that needed it
  }

  async #dial<T>(options: DialOptions): Promise<T> {
    const opts = options.method === 'POST' ? { _query: options.query ?? {}, _body: options.body ?? {} } : (options.query ?? {});
    const modem = await this.#modem;
    return new Promise<T>((resolve, reject) => {
      modem.dial(
        {
          path: `${options.path}?`,
          method: options.method,
          options: opts,
          isStream: options.stream ?? false,
          allowEmpty: options.body !== undefined,
          abortSignal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
          // Any status is an answer; errors are classified by the caller with Docker's own message.
          statusCodes: Object.fromEntries([200, 201, 204, 304, 400, 401, 403, 404, 406, 409, 500, 503].map((code) => [code, code < 400 ? true : `HTTP ${code}`])),
        } as never,
        (error: (Error & { statusCode?: number; json?: { message?: string } | string | null }) | null, result: unknown) => {
          if (!error) return resolve(result as T);
          if (error.statusCode) {
            const message = typeof error.json === 'object' && error.json?.message ? error.json.message : typeof error.json === 'string' ? error.json : error.message;
            return reject(new EngineStatusError(error.statusCode, message));
          }
          reject(error);
        },
      );
    });
  }

  info(): Promise<EngineInfo> {
    return this.#dial({ method: 'GET', path: '/info' });
  }
  listContainers(): Promise<EngineContainer[]> {
    return this.#dial({ method: 'GET', path: '/containers/json', query: { all: true } });
  }
  /** One sample: Docker waits about a second so that CPU use can be computed against the previous read. */
  stats(id: string): Promise<EngineStats> {
    return this.#dial({ method: 'GET', path: `/containers/${encodeURIComponent(id)}/stats`, query: { stream: false } });
  }
  containerAction(id: string, action: 'start' | 'stop' | 'restart'): Promise<void> {
    return this.#dial({ method: 'POST', path: `/containers/${encodeURIComponent(id)}/${action}`, query: action === 'start' ? {} : { t: 10 }, timeoutMs: 60_000 });
  }
  /** `docker create`: the body as POST /containers/create takes it (Image, Cmd, Env, Labels, HostConfig…). */
  createContainer(name: string, body: Record<string, unknown>): Promise<{ Id: string; Warnings?: string[] | null }> {
    return this.#dial({ method: 'POST', path: '/containers/create', query: { name }, body });
  }
  removeContainer(id: string): Promise<void> {
    return this.#dial({ method: 'DELETE', path: `/containers/${encodeURIComponent(id)}`, query: { force: true } });
  }
  inspectContainer(id: string): Promise<{ Id: string; Name: string; State: { Status: string }; Config: { Tty: boolean } }> {
    return this.#dial({ method: 'GET', path: `/containers/${encodeURIComponent(id)}/json` });
  }
  logs(id: string, options: { tail: number; timestamps: boolean; follow: boolean }, signalMs = 20_000): Promise<Readable | Buffer> {
    return this.#dial({
      method: 'GET',
      path: `/containers/${encodeURIComponent(id)}/logs`,
      query: { stdout: true, stderr: true, tail: options.tail, timestamps: options.timestamps, follow: options.follow },
      stream: options.follow,
      timeoutMs: signalMs,
    });
  }
  /** With `status`, each service carries its running and desired task counts. */
  services(status = false): Promise<EngineService[]> {
    return this.#dial({ method: 'GET', path: '/services', query: status ? { status: true } : {} });
  }
  inspectService(idOrName: string): Promise<EngineService> {
    return this.#dial({ method: 'GET', path: `/services/${encodeURIComponent(idOrName)}` });
  }
  createService(spec: EngineServiceSpec): Promise<{ ID: string; Warnings?: string[] | null }> {
    return this.#dial({ method: 'POST', path: '/services/create', body: spec });
  }
  /** `version` must be the service's current Version.Index; `rollback` returns to its previous spec. */
  updateService(id: string, version: number, spec: EngineServiceSpec, rollback = false): Promise<{ Warnings?: string[] | null }> {
    return this.#dial({ method: 'POST', path: `/services/${encodeURIComponent(id)}/update`, query: rollback ? { version, rollback: 'previous' } : { version }, body: spec });
  }
  removeService(id: string): Promise<void> {
    return this.#dial({ method: 'DELETE', path: `/services/${encodeURIComponent(id)}` });
  }
  /** The service's log, every task's, each line prefixed with its time and task details (details, timestamps). */
  serviceLogs(id: string, tail: number): Promise<Buffer> {
    return this.#dial({ method: 'GET', path: `/services/${encodeURIComponent(id)}/logs`, query: { stdout: true, stderr: true, tail, timestamps: true, details: true } });
  }
  taskLogs(id: string, tail: number): Promise<Buffer> {
    return this.#dial({ method: 'GET', path: `/tasks/${encodeURIComponent(id)}/logs`, query: { stdout: true, stderr: true, tail } });
  }
  swarmNodes(): Promise<EngineSwarmNode[]> {
    return this.#dial({ method: 'GET', path: '/nodes' });
  }
  swarmNode(id: string): Promise<EngineSwarmNode> {
    return this.#dial({ method: 'GET', path: `/nodes/${encodeURIComponent(id)}` });
  }
  /** Every task, or those of one service (by ID or name). */
  tasks(service?: string): Promise<EngineTask[]> {
    return this.#dial({ method: 'GET', path: '/tasks', query: service ? { filters: JSON.stringify({ service: [service] }) } : {} });
  }
  /** Sets a Swarm node's availability; `version` must be the node's current Version.Index. */
  updateSwarmNode(node: EngineSwarmNode, availability: 'active' | 'drain'): Promise<void> {
    return this.updateSwarmNodeSpec(node, { ...node.Spec, Availability: availability });
  }
  updateSwarmNodeSpec(node: EngineSwarmNode, spec: EngineSwarmNode['Spec']): Promise<void> {
    return this.#dial({ method: 'POST', path: `/nodes/${encodeURIComponent(node.ID)}/update`, query: { version: node.Version.Index }, body: spec });
  }
}
