import type { AlertNotice } from '../../shared/schemas/alerts';
import type { HealthEvent } from '../../shared/schemas/health';
import type { Node } from '../../shared/schemas/node';

/** One decided alert (the shared AlertNotice: the web bridge pushes it to the desktop apps that watch). */
export type Alert = AlertNotice;

export interface AlertPolicyOptions {
  /** Looks a node up, for maintenance and mute. */
  nodeOf: (id: string) => Node | undefined;
  show: (alert: Alert) => void;
  /** Events within this window become one notification. */
  groupWindowMs?: number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

/** Events within this window become one notification (AlertPolicy), and a watched service's alerts too. */
export const DEFAULT_GROUP_WINDOW_MS = 5000;

const MAX_NAMED = 5;
const names = (ids: string[]) => (ids.length <= MAX_NAMED ? ids.join(', ') : `${ids.slice(0, MAX_NAMED).join(', ')} and ${ids.length - MAX_NAMED} more`);

/**
 * Decides which events become alerts, for native notifications and every channel alike. The
 * monitor's thresholds already keep blips out; here: nothing for nodes in maintenance or muted,
 * nothing while paused, one alert for the monitor's own outage instead of one per node, and several
 * changes in a short window as one.
 */
export class AlertPolicy {
  #paused = false;
  #offline = false;
  readonly #down: string[] = [];
  readonly #recovered: string[] = [];
  readonly #reasons = new Map<string, string>();
  #timer: unknown = null;
  readonly #groupMs: number;
  readonly #now: () => number;
  readonly #setTimer: (fn: () => void, ms: number) => unknown;
  readonly #clearTimer: (timer: unknown) => void;

  constructor(private readonly options: AlertPolicyOptions) {
    this.#groupMs = options.groupWindowMs ?? DEFAULT_GROUP_WINDOW_MS;
    this.#now = options.now ?? Date.now;
    this.#setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.#clearTimer = options.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
  }

  setPaused(paused: boolean): void {
    this.#paused = paused;
    if (paused) this.#discard();
  }

  onEvent(event: HealthEvent): void {
    if (event.kind === 'monitor_offline') {
      this.#offline = true;
      this.#discard();
      this.options.show({ event: 'monitor_offline', title: 'Monitor offline', body: `${event.reason}. Node alerts are held until checks succeed again.`, nodeId: null, nodes: [] });
      return;
    }
    if (event.kind === 'monitor_online') {
      this.#offline = false;
      this.options.show({ event: 'monitor_online', title: 'Monitor back online', body: 'Checks succeed again; monitoring resumed.', nodeId: null, nodes: [] });
      return;
    }
    if (event.kind === 'host_key_changed' && event.node) {
      this.options.show({ event: 'host_key_changed', title: `${event.node}: SSH host key changed`, body: event.reason, nodeId: event.node, nodes: [{ id: event.node, reason: event.reason }] });
      return;
    }
    // Work that cannot run is told whatever the node checks do (paused, offline): Swarm is asked, not the nodes.
    if ((event.kind === 'service_pending' || event.kind === 'service_placed' || event.kind === 'service_rolled_back') && event.service) {
      const pending = Number(event.reason_params?.pending ?? 0);
      const title =
        event.kind === 'service_pending'
          ? `${event.service}: ${pending} ${pending === 1 ? 'replica' : 'replicas'} pending`
          : event.kind === 'service_placed'
            ? event.reason_code === 'service_removed' ? `${event.service}: removed while pending` : `${event.service}: every replica placed`
            : `${event.service}: the update rolled back`;
      this.options.show({ event: event.kind, title, body: event.reason, nodeId: null, nodes: [], service: { name: event.service, pending, reason: event.reason } });
      return;
    }
    if (event.kind === 'failover' && event.node) {
      const title = event.to === 'drain' ? `${event.node} drained in Swarm` : event.to === 'active' ? `${event.node} active in Swarm again` : `${event.node}: failover ${event.to}`;
      this.options.show({ event: 'failover', title, body: event.reason, nodeId: event.node, nodes: [{ id: event.node, reason: event.reason }], to: event.to });
      return;
    }
    if (event.kind !== 'transition' || !event.node || this.#paused || this.#offline || this.#silenced(event.node)) return;
    const list = event.to === 'unhealthy' ? this.#down : event.to === 'healthy' && event.from === 'unhealthy' ? this.#recovered : null;
    if (!list) return; // unknown→healthy, maintenance changes: not alerts
    const other = list === this.#down ? this.#recovered : this.#down;
    const index = other.indexOf(event.node);
    // Down and back (or back and down) within one window: the operator's picture did not change.
    if (index >= 0) other.splice(index, 1);
    else if (!list.includes(event.node)) list.push(event.node);
    this.#reasons.set(event.node, event.reason);
    this.#timer ??= this.#setTimer(() => this.flush(), this.#groupMs);
  }

  /** Sends what the window collected (called by the timer, and by tests). */
  flush(): void {
    if (this.#timer !== null) this.#clearTimer(this.#timer);
    this.#timer = null;
    const down = this.#down.splice(0).filter((id) => !this.#silenced(id));
    const recovered = this.#recovered.splice(0).filter((id) => !this.#silenced(id));
    const nodes = (ids: string[]) => ids.map((id) => ({ id, reason: this.#reasons.get(id) ?? '' }));
    if (down.length === 1) this.options.show({ event: 'node_down', title: `${down[0]} is down`, body: this.#reasons.get(down[0]) ?? '', nodeId: down[0], nodes: nodes(down) });
    else if (down.length > 1) this.options.show({ event: 'node_down', title: `${down.length} nodes down`, body: names(down), nodeId: down[0], nodes: nodes(down) });
    if (recovered.length === 1) this.options.show({ event: 'node_recovered', title: `${recovered[0]} recovered`, body: 'Checks pass again.', nodeId: recovered[0], nodes: nodes(recovered) });
    else if (recovered.length > 1) this.options.show({ event: 'node_recovered', title: `${recovered.length} nodes recovered`, body: names(recovered), nodeId: recovered[0], nodes: nodes(recovered) });
    this.#reasons.clear();
  }

  #silenced(id: string): boolean {
    const node = this.options.nodeOf(id);
    if (!node) return true;
    if (node.maintenance) return true;
    return Boolean(node.muted_until && Date.parse(node.muted_until) > this.#now());
  }

  #discard(): void {
    if (this.#timer !== null) this.#clearTimer(this.#timer);
    this.#timer = null;
    this.#down.length = 0;
    this.#recovered.length = 0;
  }
}

/**
 * Several alerts as few: one per kind, about every node they name, as the policy's window groups node
 * changes (used where alerts arrive already decided, from a watched service).
 */
export function groupAlerts(alerts: Alert[]): Alert[] {
  const byKind = new Map<Alert['event'], Alert[]>();
  for (const alert of alerts) {
    const group = byKind.get(alert.event) ?? [];
    group.push(alert);
    byKind.set(alert.event, group);
  }
  return [...byKind.values()].map((group) => {
    if (group.length === 1) return group[0];
    const nodes = [...new Map(group.flatMap((a) => a.nodes).map((n) => [n.id, n])).values()];
    const last = group.at(-1)!;
    if (nodes.length === 0) return last; // the monitor's own state: the latest says it
    const ids = nodes.map((n) => n.id);
    const what = { node_down: 'down', node_recovered: 'recovered', host_key_changed: 'with a changed SSH host key', failover: 'changed in Swarm' }[last.event as string] ?? last.event;
    return { ...last, title: `${ids.length} nodes ${what}`, body: names(ids), nodeId: ids[0], nodes };
  });
}
