import { OrchestratorError, parseOrThrow } from '../../shared/errors';
import { invokeArgs, type InvokeChannel, type InvokeParsedArg, type InvokeResults, type PushEventName, type PushEvents } from '../../shared/api-contract';
import type { Core } from '../app-core';
import { healthToColumns } from '../../shared/health-columns';
import type { TokenScope } from '../../shared/schemas/auth';

export type ApiHandlers = { [C in InvokeChannel]: (arg: InvokeParsedArg<C>) => Promise<InvokeResults[C]> | InvokeResults[C] };

/**
 * The contract implemented once over the core; Electron IPC and the web bridge only transport it.
 * `actor` names who acts in the audit and event logs; `who` is the token the caller holds.
 */
export function createApiHandlers(core: Core, actor = 'ui', who: { name: string; scope: TokenScope } = { name: 'admin', scope: 'admin' }): ApiHandlers {
  const { registry, monitor, eventLog } = core;
  return {
    'cluster:status': ({ include_nodes }) => monitor.status(include_nodes),
    'cluster:checkNow': async ({ id }) => (id ? monitor.checkOne(id) : (await monitor.requestSweep(), monitor.status(true))),
    'cluster:pause': ({ duration_s }) => (monitor.pause(duration_s === undefined ? undefined : duration_s * 1000), monitor.status()),
    'cluster:resume': () => (monitor.resume(), monitor.status()),
    'nodes:list': (filter) => monitor.listWithHealth(filter),
    'nodes:get': ({ id }) => monitor.nodeWithHealth(id),
    'nodes:create': (input) => registry.create(input),
    'nodes:update': ({ id, patch }) => registry.update(id, patch),
    'nodes:remove': ({ id }) => ({ removed: registry.remove(id).id }),
    'nodes:lastCheck': ({ id }) => {
      registry.require(id);
      const last = monitor.lastCheck(id);
      return last ? { checked_at: last.checked_at, probes: last.probes } : null;
    },
    'nodes:history': ({ id, range }) => (registry.require(id), monitor.history(id, range === '24h' ? 24 * 3600_000 : 3600_000)),
    'nodes:mute': ({ id, hours }) => core.muteNode(id, hours, actor),
    'nodes:maintenance': ({ id, maintenance }) => core.setMaintenance(id, maintenance, actor),
    'events:list': ({ node, limit }) => eventLog.list({ node, limit }),
    'registry:import': ({ document, options }) => registry.importSeed(document, options),
    'registry:export': () => registry.exportSeed(),
    'registry:nodesFile': () => core.nodesFile(),
    'settings:get': () => monitor.settings,
    'settings:update': (patch) => monitor.updateSettings(patch),
    'settings:sources': () => core.settings.sources,
    'demo:start': () => core.startDemo(),
    'demo:remove': () => core.removeDemo(),
    'tailscale:import': async ({ document, options }) => core.tailscale.import(document === undefined ? await core.tailscale.readFromCli() : document, options),
    'tailscale:presence': () => core.tailscale.presence(),
    'commands:plan': ({ node_ids }) => core.ssh.plan(node_ids),
    'commands:run': (request) => core.ssh.run(request, actor),
    'commands:cancel': ({ run_id }) => ({ cancelled: core.ssh.cancel(run_id) }),
    'metrics:get': ({ id }) => core.ssh.getMetrics(id),
    'hostKey:get': ({ id }) => core.ssh.hostKey(id),
    'hostKey:forget': ({ id }) => (core.ssh.forgetHostKey(id, actor), { forgotten: id }),
    'hostKey:approve': ({ id, fingerprints }) => core.ssh.approveHostKey(id, fingerprints, actor),
    'shell:settings': () => {
      throw new OrchestratorError('unavailable', 'Desktop settings exist only in the desktop app');
    },
    'shell:updateSettings': () => {
      throw new OrchestratorError('unavailable', 'Desktop settings exist only in the desktop app');
    },
    'shell:watchService': () => {
      throw new OrchestratorError('unavailable', 'Desktop settings exist only in the desktop app');
    },
    'ssh:savePassphrase': () => {
      // Headless never stores a passphrase; it reads SSH_KEY_PASSPHRASE from its environment.
      throw new OrchestratorError('unavailable', 'Passphrases are kept only by the desktop app (OS keychain); the headless service reads SSH_KEY_PASSPHRASE', [
        { field: 'passphrase', message: 'not stored here' },
      ]);
    },
    'placement:suggest': (request) => core.suggest(request),
    'audit:list': ({ limit }) => core.ssh.audit.list(limit),
    'alerts:get': () => core.alerts.list(),
    'peers:list': () => core.peers.view(),
    'peers:update': (body) => core.peers.update(body, actor),
    'alerts:update': (body) => core.alerts.update(body, actor),
    'alerts:test': ({ channel_id }) => core.alerts.test(channel_id),
    'alerts:silences': ({ id }) => (core.registry.require(id), core.alerts.silences(id)),
    'containers:list': ({ id }) => core.containers.list(id),
    'containers:stats': ({ id, container_id }) => core.containers.stats(id, container_id),
    'containers:action': ({ id, container_id, action }) => core.containers.act(id, container_id, action, actor),
    'containers:logs': ({ id, container_id, tail, timestamps }) => core.containers.logs(id, container_id, { tail, timestamps }),
    'swarm:view': () => core.swarm.view(),
    'swarm:setAvailability': ({ id, availability }) => core.swarm.setAvailability(id, availability, actor),
    'failover:get': () => core.failover.state(),
    'failover:update': (patch) => core.failover.update(patch),
    'services:list': () => core.workloads.list(),
    'services:get': ({ name }) => core.workloads.get(name),
    'services:deploy': (spec) => core.workloads.deploy(spec, actor),
    'services:plan': (spec) => core.workloads.plan(spec),
    'jobs:plan': (spec) => core.workloads.plan({ ...spec, mode: 'job' }),
    'services:change': ({ name, patch }) => core.workloads.change(name, patch, actor),
    'services:rollback': ({ name }) => core.workloads.rollback(name, actor),
    'services:remove': ({ name }) => core.workloads.remove(name, actor),
    'services:logs': ({ name, tail }) => core.workloads.logs(name, tail),
    'jobs:run': (spec) => core.workloads.runJob(spec, actor),
    'jobs:get': ({ name }) => core.workloads.job(name),
    'auth:whoami': () => who,
    'tokens:list': () => core.tokens.list(),
    'tokens:create': (request) => core.tokens.create(request, actor),
    'tokens:revoke': ({ id }) => core.tokens.revoke(id, actor),
  };
}

/** Validates the argument with the contract's schema, then calls the handler. */
export async function invokeHandler<C extends InvokeChannel>(handlers: ApiHandlers, channel: C, arg: unknown): Promise<InvokeResults[C]> {
  if (typeof channel !== 'string' || !Object.hasOwn(invokeArgs, channel)) {
    throw new OrchestratorError('bad_request', `Unknown channel ${JSON.stringify(channel)}`, [{ field: 'channel', message: 'is not a channel of the contract' }]);
  }
  const parsed = parseOrThrow(invokeArgs[channel], arg ?? {}) as InvokeParsedArg<C>;
  return handlers[channel](parsed);
}

/** Subscribes to every push event of the core; returns one unsubscribe. */
/** `vantage` only for who asks (a peer monitor's link): no window reads it, and it is as large as the fleet. */
export function subscribePushEvents(core: Core, send: <E extends PushEventName>(event: E, payload: PushEvents[E]) => void, options: { vantage?: boolean } = {}): () => void {
  const offs = [
    core.monitor.events.on('status', (status) => send('status', status)),
    core.monitor.events.on('health', (deltas) => send('health', healthToColumns(deltas))),
    core.monitor.events.on('event', (event) => send('event', event)),
    core.registry.events.on('change', (change) => send('nodes', { type: change.type, node: change.node })),
    core.ssh.events.on('command', (event) => send('command', event)),
    core.alerts.events.on('alert', (alert) => send('alert', alert)),
    ...(options.vantage ? [core.peers.events.on('vantage', (vantage) => send('vantage', vantage)), core.peers.events.on('sent', (log) => send('sent', log))] : []),
  ];
  return () => offs.forEach((off) => off());
}
