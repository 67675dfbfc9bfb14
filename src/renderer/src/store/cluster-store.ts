import { create } from 'zustand';
import type { OrchestratorApi, PushEvents } from '../../../shared/api-contract';
import type { ClusterStatus, HealthEvent, NodeHealth } from '../../../shared/schemas/health';
import type { HealthState, Node, NodeFilter } from '../../../shared/schemas/node';
import { filterNodes } from '../../../shared/node-filter';
import { HealthIndex } from './health-index';
import type { ConnectionState } from '../api/get-api';
import { DEFAULT_MONITOR_SETTINGS } from '../../../shared/schemas/settings';
import type { TokenScope } from '../../../shared/schemas/auth';

export type SortKey = 'id' | 'hostname' | 'tailscale_ip' | 'role' | 'state' | 'latency' | 'checked';
export const SORT_KEYS: readonly SortKey[] = ['id', 'hostname', 'tailscale_ip', 'role', 'state', 'latency', 'checked'];
/** Problems first: unhealthy, then degraded, then unknown. */
export const DEFAULT_SORT: ClusterStore['sort'] = { key: 'state', dir: 1 };

export interface ClusterStore {
  api: OrchestratorApi | null;
  connection: ConnectionState | 'connecting';
  loaded: boolean;
  status: Omit<ClusterStatus, 'nodes'> | null;
  /** Registry data and health are kept apart: a sweep touches only `health`, cheaply. */
  nodes: Map<string, Node>;
  health: HealthIndex;
  order: string[];
  events: HealthEvent[];
  /** The monitor's check interval, for telling fresh data from stale. */
  intervalS: number;
  /** Who this window acts as; what its scope forbids is disabled (scope-gate.ts). */
  principal: { name: string; scope: TokenScope };
  /** In nodes-file sync mode, the file that defines the fleet: adding, editing and importing are disabled. */
  definedBy: string | null;
  selectedId: string | null;
  filter: NodeFilter;
  sort: { key: SortKey; dir: 1 | -1 };
  init(api: OrchestratorApi): Promise<() => void>;
  reload(): Promise<void>;
  setConnection(state: ConnectionState): void;
  applyStatus(status: ClusterStatus): void;
  applyHealth(deltas: PushEvents['health']): void;
  applyNodeChange(change: PushEvents['nodes']): void;
  applyEvent(event: HealthEvent): void;
  select(id: string | null): void;
  setFilter(filter: Partial<NodeFilter>): void;
  setSort(key: SortKey): void;
  clearFilters(): void;
  setIntervalS(intervalS: number): void;
}

const MAX_EVENTS = 500;
export const UNKNOWN_HEALTH: NodeHealth = { status: 'unknown' as HealthState, latency_ms: null, checked_at: null, error: null };

/** Fed only by `window.api`: a snapshot at start, then pushed deltas. It never polls. */
export const createClusterStore = () =>
  create<ClusterStore>()((set, get) => ({
    api: null,
    connection: 'connecting',
    loaded: false,
    status: null,
    nodes: new Map(),
    health: HealthIndex.EMPTY,
    order: [],
    events: [],
    intervalS: DEFAULT_MONITOR_SETTINGS.interval_s,
    // The desktop's owner; a browser (or a client-mode app) learns its token's scope in reload(),
    // before the header or any action is shown.
    principal: { name: 'admin', scope: 'admin' },
    definedBy: null,
    selectedId: null,
    filter: {},
    sort: DEFAULT_SORT,

    async init(api) {
      set({ api });
      const offs = [
        api.on('status', (status) => get().applyStatus(status)),
        api.on('health', (deltas) => get().applyHealth(deltas)),
        api.on('nodes', (change) => get().applyNodeChange(change)),
        api.on('event', (event) => get().applyEvent(event)),
      ];
      await get().reload();
      return () => offs.forEach((off) => off());
    },

    async reload() {
      const api = get().api;
      if (!api) return;
      const [status, events, settings, principal, nodesFile] = await Promise.all([
        api.invoke('cluster:status', { include_nodes: true }),
        api.invoke('events:list', { limit: MAX_EVENTS }),
        api.invoke('settings:get', {}).catch(() => null), // only for staleness: the page works without it
        api.invoke('auth:whoami', {}),
        api.invoke('registry:nodesFile', {}).catch(() => null), // a service from before sync mode: nodes are its own
      ]);
      const { nodes = [], ...summary } = status;
      performance.mark('mco:snapshot'); // the bench measures first render from here
      set({
        status: summary,
        nodes: new Map(nodes.map(({ health: _h, ...node }) => [node.id, node])),
        health: HealthIndex.of(nodes.map((n) => [n.id, n.health])),
        order: nodes.map((n) => n.id),
        events,
        intervalS: settings?.interval_s ?? get().intervalS,
        principal,
        definedBy: nodesFile?.mode === 'sync' ? nodesFile.file : null,
        loaded: true,
        connection: 'open',
      });
    },

    setConnection(connection) {
      // A refused token stays refused: a failing call afterwards must not turn it into "reconnecting".
      if (get().connection === 'unauthorized' && connection === 'closed') return;
      set({ connection });
    },

    applyStatus(status) {
      const { nodes: _omit, ...summary } = status;
      set({ status: summary });
    },

    applyHealth(columns) {
      const { nodes, health } = get();
      set({ health: health.withColumns(columns, (id) => nodes.has(id)) });
    },

    applyNodeChange({ type, node }) {
      const { order, selectedId } = get();
      const nodes = new Map(get().nodes);
      const health = get().health;
      if (type === 'removed') {
        nodes.delete(node.id);
        set({ nodes, health: health.without(node.id), order: order.filter((id) => id !== node.id), selectedId: selectedId === node.id ? null : selectedId });
        return;
      }
      const known = nodes.has(node.id);
      nodes.set(node.id, node);
      set({ nodes, health: health.has(node.id) ? health : health.with(node.id, UNKNOWN_HEALTH), order: known ? order : [...order, node.id] });
    },

    applyEvent(event) {
      const events = [...get().events, event];
      set({ events: events.length > MAX_EVENTS ? events.slice(-MAX_EVENTS) : events });
    },

    select(selectedId) {
      set({ selectedId });
    },

    setFilter(filter) {
      set({ filter: { ...get().filter, ...filter } });
    },

    setSort(key) {
      const sort = get().sort;
      set({ sort: { key, dir: sort.key === key ? ((-sort.dir) as 1 | -1) : 1 } });
    },

    clearFilters() {
      set({ filter: {} });
    },

    setIntervalS(intervalS) {
      set({ intervalS });
    },
  }));

const STATE_RANK: Record<HealthState, number> = { unhealthy: 0, degraded: 1, unknown: 2, maintenance: 3, healthy: 4 };

// The registry's nodes in id order, kept until the nodes change: health updates re-sort often (by
// state, the default), and a stable sort of an id-ordered list breaks ties without comparing strings.
let byIdCache: { nodes: Map<string, Node>; order: string[]; sorted: Node[] } | null = null;
function nodesById(nodes: Map<string, Node>, order: string[]): Node[] {
  if (byIdCache?.nodes === nodes && byIdCache.order === order) return byIdCache.sorted;
  const sorted: Node[] = [];
  for (const id of order) {
    const node = nodes.get(id);
    if (node) sorted.push(node);
  }
  sorted.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  byIdCache = { nodes, order, sorted };
  return sorted;
}

/** Ids of the rows the table shows: the shared list filters, then the chosen sort (ties by id). */
export function visibleIds(state: Pick<ClusterStore, 'nodes' | 'health' | 'order' | 'filter' | 'sort'>): string[] {
  const healthOf = (id: string): NodeHealth => state.health.get(id) ?? UNKNOWN_HEALTH;
  const statusOf = (id: string): HealthState => state.health.status(id) ?? 'unknown';
  const { key, dir } = state.sort;
  const base = nodesById(state.nodes, state.order);
  const { filter } = state;
  // Health updates of the whole fleet re-sort by state (the default) every sweep: skip what they need not do.
  const filtered = filter.role || filter.tag || filter.status || filter.q?.trim();
  const inOrder = dir === 1 ? base : [...base].reverse();
  const rows = filtered ? filterNodes(inOrder, filter, statusOf) : inOrder;
  if (key === 'id') return rows.map((n) => n.id);
  if (key === 'state') {
    // Five states: a counting sort of the rows (already in id order), into one array.
    const ranks = new Uint8Array(rows.length);
    const starts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < rows.length; i++) {
      const rank = STATE_RANK[statusOf(rows[i].id)];
      ranks[i] = dir === 1 ? rank : 4 - rank;
      starts[ranks[i] + 1]++;
    }
    for (let r = 1; r < starts.length; r++) starts[r] += starts[r - 1];
    const ids = new Array<string>(rows.length);
    for (let i = 0; i < rows.length; i++) ids[starts[ranks[i]]++] = rows[i].id;
    return ids;
  }
  const value = (n: Node): string | number => {
    switch (key) {
      case 'latency':
        return healthOf(n.id).latency_ms ?? Number.POSITIVE_INFINITY;
      case 'checked':
        return healthOf(n.id).checked_at ?? '';
      case 'tailscale_ip':
        return n.tailscale_ip.split(/[.:]/).map((p) => p.padStart(5, '0')).join('.');
      default:
        return n[key];
    }
  };
  const keyed = rows.map((n) => ({ id: n.id, v: value(n) }));
  keyed.sort((a, b) => (a.v < b.v ? -1 : a.v > b.v ? 1 : 0) * dir); // stable: equal values keep id order
  return keyed.map((k) => k.id);
}

/** Whether the visible rows depend on health (then a health update must re-filter/re-sort). */
export const rowsDependOnHealth = (state: Pick<ClusterStore, 'filter' | 'sort'>): boolean =>
  state.filter.status !== undefined || ['state', 'latency', 'checked'].includes(state.sort.key);

export const useClusterStore = createClusterStore();
