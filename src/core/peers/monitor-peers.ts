import type { OrchestratorApi } from '../../shared/api-contract';
import { createWebBridgeApi, type BridgeConnection, type WebSocketConstructor } from '../../shared/bridge-client';
import { OrchestratorError, parseOrThrow } from '../../shared/errors';
import { PeersUpdateSchema, type MonitorPeer, type NodeView, type PeersView, type SentLog, type Vantage } from '../../shared/schemas/peers';
import type { AlertGate } from '../alerts/alert-service';
import type { AuditLog } from '../ssh/audit-log';
import { AlertHandoff } from './alert-handoff';
import type { PeerStore } from './peer-store';
import type { ClusterMonitor, NodeDecider } from '../monitor/cluster-monitor';
import type { NodeRegistry } from '../registry/node-registry';
import { Emitter } from '../util/emitter';
import { redactUrlSecrets } from '../util/redaction';
import { decide, isFresh, type QuorumDecision } from './quorum';

// A monitor's peers (MONITOR_PEERS, or the saved settings): each followed over its web bridge (the
// desktop's client-mode link: heartbeat, reconnect with back-off), each heard for its own view of every
// node after its sweeps. A peer's combined verdicts are never heard, so votes do not feed back.

interface Link {
  peer: MonitorPeer;
  /** Null until the link's code is loaded (a monitor without peers never loads it). */
  api: (OrchestratorApi & { dispose(): void }) | null;
  state: PeersView['peers'][number]['link'];
  since: string;
  last: Vantage | null;
  /** The last vote's nodes by id. */
  index: Map<string, Vantage['nodes'][number]>;
  error: string | null;
  /** Replaced by a change of the peers: its link is closed and its late callbacks do nothing. */
  gone: boolean;
}

/** How long at least a monitor waits for its peers' first views before deciding alone. */
const WARM_UP_MS = 5000;
/** The least time between two decisions of the fleet caused by peers' votes. */
const RECONSIDER_MS = 100;

export interface MonitorPeersOptions {
  /** This monitor's INSTANCE: a peer naming itself the same is refused. */
  instance: string;
  /** MONITOR_PEERS from the environment, a flag or .env: pins the list (the settings cannot change it). */
  peers?: MonitorPeer[];
  peersSource?: 'environment' | 'flag' | '.env file';
  /** The peers saved in the settings (used when MONITOR_PEERS is not set). */
  store?: PeerStore;
  /** With peers, one of them sends each alert to people; alone, every alert goes out here. */
  setGate?: (gate: AlertGate | null) => void;
  audit?: Pick<AuditLog, 'record'>;
  registry: NodeRegistry;
  monitor: ClusterMonitor;
  log: (line: string) => void;
  /** QUORUM: counted votes that decide a state (default: a majority of the voters). */
  quorum?: number;
  /** The WebSocket class (tests may pass their own). */
  Socket?: WebSocketConstructor;
}

export interface MonitorPeersEvents extends Record<string, unknown> {
  /** This monitor's own view after each sweep, for its peers. */
  vantage: Vantage;
  /** A peer's view arrived (and was taken). */
  vote: Vantage;
  /** What this monitor sent to people lately, for its peers (after each send). */
  sent: SentLog;
}

export class MonitorPeers implements NodeDecider {
  readonly events = new Emitter<MonitorPeersEvents>();
  #links: Link[] = [];
  #peers: MonitorPeer[] = [];
  #appliedAt = Date.now();
  readonly #off: () => void;
  #closed = false;
  /** Who of the peered monitors sends each alert to people (alert-handoff.ts); used while there are peers. */
  readonly handoff: AlertHandoff;

  constructor(private readonly options: MonitorPeersOptions) {
    // After each sweep (the status push follows one), this monitor's own view goes to whoever follows it.
    // Built only while some peer follows this monitor: it is as large as the fleet.
    this.#off = options.monitor.events.on('status', () => this.events.listening('vantage') && this.events.emit('vantage', this.ownVantage()));
    this.handoff = new AlertHandoff({
      instance: options.instance,
      wellPeers: () => this.#wellPeers(),
      intervalMs: () => options.monitor.settings.interval_s * 1000,
      share: (log) => this.events.emit('sent', log),
      log: options.log,
    });
    this.#apply(options.peers ?? options.store?.all() ?? []);
  }

  /** Where the list comes from: MONITOR_PEERS pins it; else the saved settings. */
  get source(): PeersView['source'] {
    if (this.options.peers) return this.options.peersSource ?? 'environment';
    return this.#peers.length > 0 ? 'saved' : 'default';
  }

  /**
   * Replaces the saved peers (PUT /cluster/peers): a peer sent without its token keeps the one stored
   * for its URL. Refused while MONITOR_PEERS sets them. Audited first, like channel changes.
   */
  update(input: unknown, actor = 'api'): PeersView {
    if (this.options.peers || !this.options.store)
      throw new OrchestratorError('conflict', `The peers are set by MONITOR_PEERS (${this.source}): change them there`, [{ field: 'peers', message: `set by MONITOR_PEERS (${this.source})` }], { code: 'peers_pinned', params: { source: this.source } });
    const { peers } = parseOrThrow(PeersUpdateSchema, input);
    const next = peers.map((peer, i) => {
      const token = peer.token ?? this.#peers.find((p) => p.url === peer.url)?.token;
      if (!token) throw new OrchestratorError('validation_error', `Peer ${i + 1} needs a token: it is new`, [{ field: `peers.${i}.token`, message: 'is needed for a new peer (a viewer token of it is enough)' }]);
      return { url: peer.url, token };
    });
    const added = next.filter((p) => !this.#peers.some((o) => o.url === p.url)).map((p) => redactUrlSecrets(p.url));
    const removed = this.#peers.filter((o) => !next.some((p) => p.url === o.url)).map((p) => redactUrlSecrets(p.url));
    const retokened = next.filter((p) => this.#peers.some((o) => o.url === p.url && o.token !== p.token)).map((p) => redactUrlSecrets(p.url));
    const change = [added.length && `added ${added.join(', ')}`, removed.length && `removed ${removed.join(', ')}`, retokened.length && `new token for ${retokened.join(', ')}`].filter(Boolean).join('; ');
    if (change) this.options.audit?.record({ actor, action: 'update_peers', nodes: [], detail: change, outcome: 'ok' });
    this.options.store.replace(next);
    if (change) {
      this.#apply(next);
      this.options.monitor.logEvent({ node: null, kind: 'peers_changed', from: null, to: null, reason: `${actor} changed the peer monitors: ${change}` });
    }
    return this.view();
  }

  #reconsiderTimer: NodeJS.Timeout | null = null;
  /**
   * Votes arriving together (or a peer that pushes far more often than it sweeps) are decided on once:
   * at most every RECONSIDER_MS, so no peer can keep this monitor deciding the fleet over and over.
   */
  #reconsiderSoon(): void {
    if (this.#reconsiderTimer || this.#closed) return;
    this.#reconsiderTimer = setTimeout(() => {
      this.#reconsiderTimer = null;
      if (!this.#closed) this.options.monitor.reconsider();
    }, RECONSIDER_MS);
    this.#reconsiderTimer.unref?.();
  }

  /** Follows `peers` instead of the current ones; with none, this monitor decides and sends alone. */
  #apply(peers: MonitorPeer[]): void {
    for (const link of this.#links) {
      link.gone = true;
      link.api?.dispose();
    }
    this.#links = [];
    this.#peers = peers;
    this.#appliedAt = Date.now();
    for (const peer of peers) this.#follow(peer);
    // With peers, the monitors decide together; alone, the monitor's own view stays the state.
    this.options.monitor.setDecider(peers.length > 0 ? this : null);
    this.options.setGate?.(peers.length > 0 ? this.handoff : null);
  }

  /** This monitor's name and each link, named by the INSTANCE it votes with (the status shows them). */
  links(): ReturnType<NodeDecider['links']> {
    return { instance: this.options.instance, links: this.#links.map((l) => ({ url: redactUrlSecrets(l.peer.url), instance: l.last?.monitor ?? null, link: l.state })) };
  }

  /** The peers that could send an alert now: link open, their view fresh, their guard not fired. */
  #wellPeers(): string[] {
    const now = Date.now();
    return this.#links.filter((l) => l.state === 'open' && l.error === null && l.last && !l.last.offline && isFresh(l.last, now)).map((l) => l.last!.monitor);
  }

  /** A node's state from this monitor's own view and the peers' last views of it (core/peers/quorum.ts). */
  decide(id: string, own: NodeView, offline: boolean): QuorumDecision {
    const now = Date.now();
    const views = [{ monitor: this.options.instance, ...own, may_vote: !offline }];
    for (const link of this.#links) {
      if (!link.last || link.error !== null) continue;
      const node = link.index.get(id);
      const { id: _id, ...view } = node ?? { id, status: 'unknown' as const, checked_at: null, error: null };
      views.push({ monitor: link.last.monitor, ...view, may_vote: !link.last.offline && isFresh(link.last, now) });
    }
    const decision = decide(views, this.options.quorum);
    // Just started, with peers not heard yet: this view alone decides nothing (a restart would
    // otherwise page people about what the others outvoted before).
    return decision.alone && this.#warming(now) ? { ...decision, needed: 0 } : decision;
  }

  /** Since the peers were named, some link may still bring a first vote (until WARM_UP_MS, or two intervals more). */
  #warming(now: number): boolean {
    const cap = Math.max(WARM_UP_MS, 2 * this.options.monitor.settings.interval_s * 1000 + 2000);
    return now - this.#appliedAt < cap && this.#links.some((l) => !l.last && (l.state === 'connecting' || l.state === 'open'));
  }

  /** This monitor's own view of each node: its checks alone. */
  ownVantage(): Vantage {
    const { monitor, registry, instance } = this.options;
    return {
      monitor: instance,
      at: new Date().toISOString(),
      interval_s: monitor.settings.interval_s,
      offline: monitor.monitorInfo().offline,
      nodes: registry.all().map((node) => ({ id: node.id, ...monitor.ownViewOf(node.id) })),
    };
  }

  view(): PeersView {
    const { monitor, registry } = this.options;
    const disagreements = this.#peers.length === 0 ? [] : registry.all().flatMap((node) => {
      const own = monitor.ownViewOf(node.id).status;
      const health = monitor.healthOf(node.id);
      // Not decided yet (warm-up after a start, needing no votes, or no settled state) is no disagreement.
      if (own === 'unknown' || health.status === 'unknown' || !health.quorum?.needed || health.status === own || !health.vantage) return [];
      const votes = health.vantage.filter((v) => v.counted).map((v) => ({ monitor: v.monitor, status: v.status }));
      return [{ id: node.id, own, quorum: health.status, needed: health.quorum?.needed ?? 0, votes }];
    });
    return {
      disagreements,
      instance: this.options.instance,
      source: this.source,
      peers: this.#links.map((l) => ({
        url: redactUrlSecrets(l.peer.url),
        instance: l.last?.monitor ?? null,
        link: l.state,
        since: l.since,
        last_vote_at: l.last?.at ?? null,
        nodes: l.last?.nodes.length ?? 0,
        error: l.error,
      })),
    };
  }

  close(): void {
    this.#closed = true;
    this.#off();
    if (this.#reconsiderTimer) clearTimeout(this.#reconsiderTimer);
    this.options.monitor.setDecider(null);
    this.options.setGate?.(null);
    this.handoff.close();
    for (const link of this.#links) {
      link.gone = true;
      link.api?.dispose();
    }
  }

  #follow(peer: MonitorPeer): void {
    const link: Link = { peer, api: null, state: 'connecting', since: new Date().toISOString(), last: null, index: new Map(), error: null, gone: false };
    const setState = (state: BridgeConnection) => {
      if (link.gone || link.state === 'refused') return; // refused: until it names itself otherwise (below)
      if (link.state !== state) {
        link.state = state;
        link.since = new Date().toISOString();
        if (state !== 'open') this.options.log(`[peers] ${redactUrlSecrets(peer.url)}: link ${state}`);
      }
      link.error = state === 'unauthorized' ? 'the peer refused our token' : state === 'closed' ? 'no link to the peer' : null;
    };
    this.#links.push(link);
    // The WebSocket client (ws) loads only where peers are named: not on every start of the core.
    void import('./bridge-socket').then(({ BoundedSocket, bridgeUrlFor }) => {
      if (this.#closed || link.gone) return;
      const api = createWebBridgeApi(`${bridgeUrlFor(peer.url)}?follow=vantage`, peer.token, setState, this.options.Socket ?? (BoundedSocket as unknown as WebSocketConstructor));
      link.api = api;
      api.on('vantage', (vantage) => {
        if (link.gone) return;
        if (vantage.monitor === this.options.instance) {
          if (link.state !== 'refused') this.options.log(`[peers] ${redactUrlSecrets(peer.url)} names itself ${vantage.monitor}, as this monitor does: its votes are refused (INSTANCE must be unique among peers)`);
          link.state = 'refused';
          link.error = `it names itself ${vantage.monitor}, as this monitor does: INSTANCE must be unique among peers`;
          link.last = vantage;
          return;
        }
        if (link.state === 'refused') {
          link.state = 'open';
          link.since = new Date().toISOString();
          link.error = null;
        }
        link.last = vantage;
        link.index = new Map(vantage.nodes.map((n) => [n.id, n]));
        this.events.emit('vote', vantage);
        this.#reconsiderSoon();
      });
      // Taken only under the name the peer votes with: a refused twin's log counts for nothing.
      api.on('sent', (log) => !link.gone && link.error === null && log.monitor === link.last?.monitor && this.handoff.takePeerLog(log));
    });
  }
}
