/**
 * The English message catalogue: every string the window, the web UI, the tray and desktop
 * notifications show. Korean (ko.ts) must have the same keys; tests/shared/i18n-catalogue.test.ts
 * fails on a missing or extra key, or on a placeholder that differs.
 *
 * Keys are grouped by the part of the UI that shows them. Plurals use i18next's `_one`/`_other`
 * suffixes; placeholders are `{{name}}`.
 */
export const en = {
  app: {
    name: 'MCP Cloud Orchestrator',
  },
  state: {
    healthy: 'Healthy',
    degraded: 'Degraded',
    unhealthy: 'Unhealthy',
    critical: 'Critical',
    unknown: 'Unknown',
    maintenance: 'Maintenance',
  },
  containers: {
    title: 'Containers',
    refresh: 'Refresh',
    none: 'No containers on this node.',
    name: 'Name',
    state: 'State',
    cpu: 'CPU',
    memory: 'Memory',
    mib: '{{value}} MiB',
    start: 'Start',
    stop: 'Stop',
    restart: 'Restart',
    logs: 'Logs',
    follow: 'Follow',
    drain: 'Drain',
    activate: 'Activate',
    swarmLine: 'Swarm {{role}} · {{availability}} · {{tasks}} tasks running',
    role: { manager: 'manager', worker: 'worker' },
    availability: { active: 'active', pause: 'paused', drain: 'drained' },
  },
  time: {
    never: '—',
  },
  common: {
    cancel: 'Cancel',
    close: 'Close',
    save: 'Save',
    delete: 'Delete',
    edit: 'Edit',
    loading: 'Loading…',
  },
};
