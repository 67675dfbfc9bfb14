// The contract's channel and event names, with no imports at all, so the sandboxed preload can
// carry them without bundling zod. api-contract.ts checks its schema table against this list.
export const INVOKE_CHANNELS = [
  'cluster:status', 'cluster:checkNow', 'cluster:pause', 'cluster:resume',
  'nodes:list', 'nodes:get', 'nodes:create', 'nodes:update', 'nodes:remove', 'nodes:lastCheck', 'nodes:history', 'nodes:mute', 'nodes:maintenance',
  'events:list', 'registry:import', 'registry:export', 'registry:nodesFile', 'settings:get', 'settings:update', 'settings:sources', 'demo:start', 'demo:remove',
  'tailscale:import', 'tailscale:presence', 'shell:settings', 'shell:updateSettings', 'shell:watchService', 'ssh:savePassphrase',
  'commands:plan', 'commands:run', 'commands:cancel', 'metrics:get', 'hostKey:get', 'hostKey:forget', 'hostKey:approve', 'placement:suggest', 'audit:list',
  'alerts:get', 'peers:list', 'peers:update', 'alerts:update', 'alerts:test', 'alerts:silences',
  'containers:list', 'containers:stats', 'containers:action', 'containers:logs', 'swarm:view', 'swarm:setAvailability', 'failover:get', 'failover:update',
  'services:list', 'services:get', 'services:deploy', 'services:plan', 'jobs:plan', 'services:change', 'services:rollback', 'services:remove', 'services:logs', 'jobs:run', 'jobs:get',
  'auth:whoami', 'tokens:list', 'tokens:create', 'tokens:revoke',
] as const;
export type InvokeChannel = (typeof INVOKE_CHANNELS)[number];

export const PUSH_EVENTS = ['status', 'health', 'event', 'nodes', 'command', 'alert', 'vantage', 'sent', 'connection'] as const;
export type PushEventName = (typeof PUSH_EVENTS)[number];

/** The one IPC channel pushed events travel on, main → renderer. */
export const PUSH_CHANNEL = 'mco:push';
