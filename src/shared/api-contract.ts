import { PeersUpdateSchema, type PeersView, type SentLog, type Vantage } from './schemas/peers';
import { z } from 'zod';
import type { InvokeChannel, PushEventName } from './api-channels';
import type { HealthColumns } from './health-columns';
import type { ClusterStatus, HealthEvent, HistoryPoint, NodeCheck, NodeWithHealth } from './schemas/health';
import { NodeFilterSchema, NodeIdSchema, NodeMaintenanceSchema, NodeMuteSchema, NodePatchSchema, type Node } from './schemas/node';
import type { ProbeResult } from './schemas/probe';
import {
  CommandRequestSchema,
  HostKeyApprovalSchema,
  PlacementRequestSchema,
  type AuditEntry,
  type CommandResponse,
  type CommandStreamEvent,
  type CommandTarget,
  type HostKeyPin,
  type NodeMetrics,
  type PlacementResponse,
} from './schemas/ssh';
import { TailscaleImportOptionsSchema, type TailscaleImportReport, type TailscalePresence } from './schemas/tailscale';
import { ImportOptionsSchema, type ImportReport, type NodesFileStatus, type SeedDocument } from './schemas/seed-format';
import { AlertChannelsUpdateSchema, AlertTestRequestSchema, type AlertChannelsView, type AlertNotice, type AlertTestResult, type NodeSilences } from './schemas/alerts';
import {
  ContainerActionSchema,
  ContainerIdSchema,
  ContainerLogsOptionsSchema,
  FailoverSettingsPatchSchema,
  type ContainerActionResult,
  type ContainerList,
  type ContainerLogs,
  type ContainerStats,
  type FailoverState,
  type SwarmAvailabilityResult,
  type SwarmView,
} from './schemas/containers';
import { JobSpecSchema, ServiceNameSchema, ServicePatchSchema, ServiceSpecSchema, type JobView, type ServiceList, type ServicePlan, type ServiceView, type WorkloadLogs } from './schemas/workloads';
import { TokenCreateSchema, TokenIdSchema, type TokenInfo, type TokenScope } from './schemas/auth';
import { MonitorSettingsPatchSchema, ShellSettingsSchema, WatchServiceSchema, type MonitorSettings, type MonitorSettingSources, type ShellSettings } from './schemas/settings';

/**
 * The one contract between the core and every UI: Electron IPC (preload → main) and the web bridge
 * (browser → headless service) both implement it. Each channel has a zod schema for its single
 * argument and a result type; both sides derive from this table.
 */
const id = z.strictObject({ id: z.string().max(200) });

export const invokeArgs = {
  'cluster:status': z.strictObject({ include_nodes: z.boolean().default(true) }),
  'cluster:checkNow': z.strictObject({ id: z.string().max(200).optional() }),
  'cluster:pause': z.strictObject({ duration_s: z.number().positive().max(7 * 24 * 3600).optional() }),
  'cluster:resume': z.strictObject({}),
  'nodes:list': NodeFilterSchema,
  'nodes:get': id,
  'nodes:create': z.unknown(), // validated by the registry with NodeSchema, so errors name node fields
  'nodes:update': z.strictObject({ id: z.string().max(200), patch: NodePatchSchema }),
  'nodes:remove': id,
  'nodes:lastCheck': id,
  'nodes:history': z.strictObject({ id: z.string().max(200), range: z.enum(['1h', '24h']).default('1h') }),
  'nodes:mute': NodeMuteSchema.extend({ id: NodeIdSchema }),
  'nodes:maintenance': NodeMaintenanceSchema.extend({ id: NodeIdSchema }),
  'events:list': z.strictObject({ node: z.string().max(200).optional(), limit: z.int().min(1).max(5000).default(200) }),
  'registry:import': z.strictObject({ document: z.unknown(), options: ImportOptionsSchema.default({ skip_invalid: false, dry_run: true }) }),
  'registry:export': z.strictObject({}),
  /** Where the fleet is defined: in sync mode a file, and writes here answer 409. */
  'registry:nodesFile': z.strictObject({}),
  'settings:get': z.strictObject({}),
  'settings:update': MonitorSettingsPatchSchema,
  'settings:sources': z.strictObject({}),
  'demo:start': z.strictObject({}),
  /** Removes every node tagged `demo` (what "Start the demo fleet" imported) and stops the simulator. */
  'demo:remove': z.strictObject({}),
  /** `document` omitted: read it from the local tailscale CLI. */
  'tailscale:import': z.strictObject({ document: z.unknown().optional(), options: TailscaleImportOptionsSchema.partial().default({ dry_run: true }) }),
  'tailscale:presence': z.strictObject({}),
  /** The nodes, SSH user and address a run would use; nothing runs. */
  'commands:plan': z.strictObject({ node_ids: z.array(NodeIdSchema).min(1, { error: 'name at least one node' }).max(10_000) }),
  'commands:run': CommandRequestSchema,
  'commands:cancel': z.strictObject({ run_id: z.string().max(64) }),
  'metrics:get': id,
  'hostKey:get': id,
  'hostKey:forget': id,
  'hostKey:approve': HostKeyApprovalSchema.extend({ id: z.string().max(200) }),
  'shell:settings': z.strictObject({}),
  // watch_url is set only by shell:watchService, which checks the service and the token first.
  'shell:updateSettings': ShellSettingsSchema.omit({ window_bounds: true, watch_url: true }).partial().strict(),
  'shell:watchService': WatchServiceSchema,
  'ssh:savePassphrase': z.strictObject({ key_path: z.string().min(1).max(4096), passphrase: z.string().min(1).max(1024) }),
  'placement:suggest': PlacementRequestSchema,
  'audit:list': z.strictObject({ limit: z.int().min(1).max(5000).default(200) }),
  'alerts:get': z.strictObject({}),
  'peers:list': z.strictObject({}),
  'peers:update': PeersUpdateSchema,
  'alerts:update': AlertChannelsUpdateSchema,
  'alerts:test': AlertTestRequestSchema,
  /** Active Alertmanager silences that cover a node's alerts. */
  'alerts:silences': id,
  'containers:list': id,
  'containers:stats': z.strictObject({ id: z.string().max(200), container_id: ContainerIdSchema }),
  'containers:action': z.strictObject({ id: z.string().max(200), container_id: ContainerIdSchema, action: ContainerActionSchema }),
  'containers:logs': ContainerLogsOptionsSchema.extend({ id: z.string().max(200), container_id: ContainerIdSchema }),
  'swarm:view': z.strictObject({}),
  'swarm:setAvailability': z.strictObject({ id: z.string().max(200), availability: z.enum(['active', 'drain'], { error: 'must be active or drain' }) }),
  'failover:get': z.strictObject({}),
  'failover:update': FailoverSettingsPatchSchema,
  'services:list': z.strictObject({}),
  'services:get': z.strictObject({ name: ServiceNameSchema }),
  'services:deploy': ServiceSpecSchema,
  'services:plan': ServiceSpecSchema,
  'jobs:plan': JobSpecSchema,
  'services:change': z.strictObject({ name: ServiceNameSchema, patch: ServicePatchSchema }),
  'services:rollback': z.strictObject({ name: ServiceNameSchema }),
  'services:remove': z.strictObject({ name: ServiceNameSchema }),
  'services:logs': z.strictObject({ name: ServiceNameSchema, tail: z.int({ error: 'must be a whole number of lines' }).min(1).max(10_000).default(200) }),
  'jobs:run': JobSpecSchema,
  'jobs:get': z.strictObject({ name: ServiceNameSchema }),
  /** Who this window acts as: the desktop's owner is admin; a browser or a client-mode app, its token. */
  'auth:whoami': z.strictObject({}),
  'tokens:list': z.strictObject({}),
  'tokens:create': TokenCreateSchema,
  'tokens:revoke': z.strictObject({ id: TokenIdSchema }),
} as const satisfies Record<InvokeChannel, z.ZodType>;

export interface InvokeResults {
  'cluster:status': ClusterStatus;
  'cluster:checkNow': ClusterStatus | NodeCheck;
  'cluster:pause': ClusterStatus;
  'cluster:resume': ClusterStatus;
  'nodes:list': NodeWithHealth[];
  'nodes:get': NodeWithHealth;
  'nodes:create': Node;
  'nodes:update': Node;
  'nodes:remove': { removed: string };
  'nodes:lastCheck': { checked_at: string; probes: ProbeResult[] } | null;
  'nodes:history': HistoryPoint[];
  'nodes:mute': Node;
  'nodes:maintenance': Node;
  'events:list': HealthEvent[];
  'registry:import': ImportReport;
  'registry:export': SeedDocument;
  'registry:nodesFile': NodesFileStatus;
  'settings:get': MonitorSettings;
  'settings:update': MonitorSettings;
  'settings:sources': MonitorSettingSources;
  'demo:start': ImportReport;
  'demo:remove': { removed: string[] };
  'tailscale:import': TailscaleImportReport;
  'tailscale:presence': { synced_at: string | null; nodes: TailscalePresence[] };
  'commands:plan': CommandTarget[];
  'commands:run': CommandResponse;
  'commands:cancel': { cancelled: boolean };
  'metrics:get': NodeMetrics;
  'hostKey:get': HostKeyPin | null;
  'hostKey:forget': { forgotten: string };
  'hostKey:approve': HostKeyPin;
  /** Desktop only: the web UI answers "unavailable". */
  'shell:settings': ShellSettings & { rest_error?: string | null };
  'shell:updateSettings': ShellSettings;
  /** Desktop only: checks the service and the token, keeps the token in the OS keychain, and restarts the app in that mode. */
  'shell:watchService': { restarting: true; watching: string | null };
  /** Desktop only: sealed with the OS keychain (safeStorage); headless reads SSH_KEY_PASSPHRASE. */
  'ssh:savePassphrase': { saved: string };
  'placement:suggest': PlacementResponse;
  'audit:list': AuditEntry[];
  /** Alert channels, secrets redacted, with their delivery state. */
  'alerts:get': AlertChannelsView;
  'peers:list': PeersView;
  'peers:update': PeersView;
  'alerts:update': AlertChannelsView;
  'alerts:test': AlertTestResult;
  'alerts:silences': NodeSilences;
  'containers:list': ContainerList;
  'containers:stats': ContainerStats;
  'containers:action': ContainerActionResult;
  'containers:logs': ContainerLogs;
  'swarm:view': SwarmView;
  'swarm:setAvailability': SwarmAvailabilityResult;
  'failover:get': FailoverState;
  'failover:update': FailoverState;
  'services:list': ServiceList;
  'services:get': ServiceView;
  'services:deploy': ServiceView;
  'services:plan': ServicePlan;
  'jobs:plan': ServicePlan;
  'services:change': ServiceView;
  'services:rollback': ServiceView;
  'services:remove': { removed: string; mode: ServiceView['mode'] };
  'services:logs': WorkloadLogs;
  'jobs:run': JobView;
  'jobs:get': JobView;
  'auth:whoami': { name: string; scope: TokenScope };
  'tokens:list': TokenInfo[];
  /** The only answer that carries the secret. */
  'tokens:create': TokenInfo & { token: string };
  'tokens:revoke': TokenInfo;
}

export { INVOKE_CHANNELS, PUSH_EVENTS, PUSH_CHANNEL, type InvokeChannel, type PushEventName } from './api-channels';
export type InvokeArg<C extends InvokeChannel> = z.input<(typeof invokeArgs)[C]>;
export type InvokeParsedArg<C extends InvokeChannel> = z.output<(typeof invokeArgs)[C]>;

export type BridgeConnection = 'open' | 'closed' | 'unauthorized';
/** A link to a service, with when it last changed (an outage's start, not its last retry). */
export type LinkState = { state: BridgeConnection | 'connecting'; since: string };

/** Events pushed from the core to every UI. */
export interface PushEvents extends Record<PushEventName, unknown> {
  status: ClusterStatus;
  /** Every node the sweep checked, as columns (health-columns.ts). */
  health: HealthColumns;
  event: HealthEvent;
  nodes: { type: 'added' | 'updated' | 'removed'; node: Node };
  /** Live output and progress of a command run. */
  command: CommandStreamEvent;
  /** Each alert the service decided (what a desktop app that watches it shows as a notification). */
  alert: AlertNotice;
  /** This monitor's own view of each node after a sweep, for its peers (never their combined verdicts). */
  vantage: Vantage;
  /** What this monitor recently sent to people, for its peers waiting their turn (sent once between them). */
  sent: SentLog;
  /** The desktop app watching a service: its link to it opened, was lost, or its token was refused. */
  connection: LinkState;
}

/** What the preload exposes as `window.api` (and the web bridge implements in the browser). */
export interface OrchestratorApi {
  invoke<C extends InvokeChannel>(channel: C, arg: InvokeArg<C>): Promise<InvokeResults[C]>;
  on<E extends PushEventName>(event: E, listener: (payload: PushEvents[E]) => void): () => void;
}

/** Errors cross IPC and the bridge as plain data with the REST error shape. */
export interface ApiErrorPayload {
  error: string;
  message: string;
  details: Array<{ field: string; message: string; code?: string; params?: Record<string, string | number> }>;
  /** What failed, for the window to say it in its language (`errors.<reason_code>`). */
  reason_code?: string;
  reason_params?: Record<string, string | number>;
}

/** An answer that crosses a process boundary as data, so field-level error details survive it. */
export type ApiEnvelope<T> = { ok: true; result: T } | { ok: false; error: ApiErrorPayload };

/**
 * What the Electron preload exposes as `window.api`. Errors do not survive contextBridge with their
 * fields, so invoke answers envelopes; the renderer turns them back into results and ApiErrors.
 */
export interface ShellBridge {
  invoke<C extends InvokeChannel>(channel: C, arg: InvokeArg<C>): Promise<ApiEnvelope<InvokeResults[C]>>;
  on<E extends PushEventName>(event: E, listener: (payload: PushEvents[E]) => void): () => void;
}
