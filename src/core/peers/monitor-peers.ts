import type { OrchestratorApi } from '../../shared/api-contract';
import { createWebBridgeApi, type BridgeConnection, type WebSocketConstructor } from '../../shared/bridge-client';
import type { MonitorPeer, PeersView, Vantage } from '../../shared/schemas/peers';
import type { ClusterMonitor } from '../monitor/cluster-monitor';
import type { NodeRegistry } from '../registry/node-registry';
import { Emitter } from '../util/emitter';
import { redactUrlSecrets } from '../util/redaction';
import { decideNode } from './quorum';

// A monitor's peers (MONITOR_PEERS): each followed over its web bridge (the desktop's client-mode link:
// heartbeat, reconnect with back-off), each heard for its own view of every node after its sweeps. A
// peer's combined verdicts are never heard, so votes do not feed back into each other.

interface Link {
  peer: MonitorPeer;
  /** Null until the link's code is loaded (a monitor without peers never loads it). */
  api: (OrchestratorApi & { dispose(): void }) | null;
  state: PeersView['peers'][number]['link'];
  since: string;
  last: Vantage | null;
  error: string | null;
}

export interface MonitorPeersOptions {
  /** This monitor's INSTANCE: a peer naming itself the same is refused. */
  instance: string;
  peers: MonitorPeer[];
  registry: NodeRegistry;
  monitor: ClusterMonitor;
  log: (line: string) => void;
  /** The WebSocket class (tests may pass their own). */
  Socket?: WebSocketConstructor;
}

export interface MonitorPeersEvents extends Record<string, unknown> {
  /** This monitor's own view after each sweep, for its peers. */
  vantage: Vantage;
  /** A peer's view arrived (and was taken). */
  vote: Vantage;
}

export class MonitorPeers {
  readonly events = new Emitter<MonitorPeersEvents>();
  readonly #links: Link[] = [];
  readonly #off: () => void;
  #closed = false;

  constructor(private readonly options: MonitorPeersOptions) {
    // After each sweep (the status push follows one), this monitor's own view goes to whoever follows it.
    // Built only while some peer follows this monitor: it is as large as the fleet.
    this.#off = options.monitor.events.on('status', () => this.events.listening('vantage') && this.events.emit('vantage', this.ownVantage()));
    for (const peer of options.peers) this.#follow(peer);
  }

  /** This monitor's own view of each node: its checks alone. */
  ownVantage(): Vantage {
    const { monitor, registry, instance } = this.options;
    return {
      monitor: instance,
      at: new Date().toISOString(),
      interval_s: monitor.settings.interval_s,
      offline: monitor.monitorInfo().offline,
      nodes: registry.all().map((node) => {
        const health = monitor.healthOf(node.id);
        return { id: node.id, status: health.last_known ? 'unknown' : health.status, checked_at: health.checked_at, error: health.error };
      }),
    };
  }

  /** The peers' latest views, one per monitor, refused ones left out. */
  votes(): Vantage[] {
    return this.#links.filter((l) => l.last && l.error === null).map((l) => l.last!);
  }

  view(): PeersView {
    const own = this.ownVantage();
    const votes = this.votes();
    const now = Date.now();
    const disagreements = votes.length === 0 ? [] : own.nodes.flatMap((node) => {
      const decision = decideNode(node.id, own, votes, now);
      return decision.status === node.status || node.status === 'unknown' ? [] : [{ id: node.id, own: node.status, quorum: decision.status, needed: decision.needed, votes: decision.voters }];
    });
    return {
      disagreements,
      instance: this.options.instance,
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
    for (const link of this.#links) link.api?.dispose();
  }

  #follow(peer: MonitorPeer): void {
    const link: Link = { peer, api: null, state: 'connecting', since: new Date().toISOString(), last: null, error: null };
    const setState = (state: BridgeConnection) => {
      if (link.state === 'refused') return; // until it names itself otherwise (below)
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
      if (this.#closed) return;
      const api = createWebBridgeApi(`${bridgeUrlFor(peer.url)}?follow=vantage`, peer.token, setState, this.options.Socket ?? (BoundedSocket as unknown as WebSocketConstructor));
      link.api = api;
      api.on('vantage', (vantage) => {
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
        this.events.emit('vote', vantage);
      });
    });
  }
}
