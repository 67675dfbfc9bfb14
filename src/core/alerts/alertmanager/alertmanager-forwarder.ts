import type { AlertChannel, ChannelDelivery, NodeSilences } from '../../../shared/schemas/alerts';
import type { HealthEvent, NodeHealth } from '../../../shared/schemas/health';
import type { Node } from '../../../shared/schemas/node';
import type { StoreFactory, StoreRecovery } from '../../registry/json-store';
import type { Alert } from '../alert-policy';
import type { DeliveryOutcome, DeliveryResult } from '../alert-delivery';
import { httpExchange } from '../channel-sender';
import { nodeLine } from '../alert-payload';
import { AM_ALERTNAMES, entryKey, toAmAlert, type AmAlert, type AmEntry, type FiringEvent } from './am-alert';
import { coveringSilences, SilenceWireSchema, type AmMatcher } from './silence-matcher';
import { loadRe2 } from '../../util/lazy-modules';
import { AmFiringSet } from './am-firing-set';
import { AmPeer, endpoint, type PeerState } from './am-peer';
import { redactUrl, scrubSecrets } from '../../util/redaction';

export type AlertmanagerChannel = Extract<AlertChannel, { type: 'alertmanager' }>;

export interface AlertmanagerForwarderOptions {
  dataDir: string;
  storeFactory: StoreFactory;
  onRecovery: (recovery: StoreRecovery) => void;
  /** Names this monitor in every alert (default: the hostname). */
  instance: string;
  /** The web UI's address people open, for the link in each alert; none when unknown. */
  webUrl?: () => string | undefined;
  nodeOf: (id: string) => Node | undefined;
  healthOf: (id: string) => NodeHealth;
  /** Whether a service's ServicePending still holds as this process last saw it (null: not known yet). */
  servicePending?: (name: string) => boolean | null;
  logEvent: (event: Omit<HealthEvent, 'seq' | 'at'>) => void;
  onOutcome: (channel: AlertChannel, outcome: DeliveryOutcome) => void;
  /** The policy's grouping window: a recovery the policy did not report within it is resolved here. */
  groupWindowMs: number;
  /** The monitor's check interval now (it changes with the settings): the resolve grace follows it. */
  checkIntervalMs: () => number;
  timeoutMs?: number;
  retryBaseMs?: number;
  now?: () => number;
}

/**
 * How long a resolution waits before Alertmanager hears it. Another monitor may still see the node
 * down for a few checks and resend the alert; Alertmanager would fire an alert it had resolved again
 * (a resend whose endsAt is ahead reopens it), so people would hear of one outage twice. Told this
 * long after, the slower monitor has stopped resending (it resends only while its latest check
 * fails), and the alert resolves once. The cost: Alertmanager learns of a recovery this much later.
 */
export const resolveGraceMs = (checkIntervalMs: number): number => 3 * checkIntervalMs + 2000;

/** One-off alerts (a changed host key, a failed failover) fire this long unless something resolves them. */
const ONE_OFF_MS = 60 * 60_000;
/** Failures in a row after which a peer's trouble is written to the event log (once per streak). */
const REPORT_AFTER = 3;
/** Our silences carry this comment, so unmuting expires only what a mute created. */
const MUTE_COMMENT = 'Muted in MCP Cloud Orchestrator';
const SEVERITY: Record<FiringEvent, string> = { node_down: 'critical', monitor_offline: 'critical', host_key_changed: 'warning', failover: 'warning', service_pending: 'warning', service_rolled_back: 'warning' };

interface Lane {
  channel: AlertmanagerChannel;
  config: string;
  peers: AmPeer[];
  lastFailure: ChannelDelivery['last_failure'];
}

/**
 * Alertmanager as an alert channel. Our policy decides what is an alert; this keeps what fires and
 * tells every Alertmanager peer: resends while firing (endsAt four resends ahead), endsAt = the
 * recovery a grace after it (resolveGraceMs), everything again at start. Alertmanager deduplicates,
 * groups, silences and routes.
 */
export class AlertmanagerForwarder {
  readonly #set: AmFiringSet;
  readonly #lanes = new Map<string, Lane>();
  /** Since when a firing alert's cause has looked over (a backstop for recoveries the policy held back). */
  readonly #clearSince = new Map<string, number>();
  readonly #now: () => number;
  readonly #timeoutMs: number;
  /** Wakes the peers when the earliest resolution still in its grace is due. */
  #graceTimer: { at: number; timer: ReturnType<typeof setTimeout> } | null = null;

  constructor(private readonly options: AlertmanagerForwarderOptions) {
    this.#now = options.now ?? Date.now;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#set = new AmFiringSet(options.dataDir, options.storeFactory, options.onRecovery, this.#now);
  }

  /** The Alertmanager channels now (environment and DATA_DIR); a changed channel starts afresh and sends at once. */
  setChannels(channels: AlertmanagerChannel[]): void {
    const wanted = new Map(channels.map((c) => [c.id, c]));
    for (const [id, lane] of this.#lanes) {
      const next = wanted.get(id);
      if (next && JSON.stringify(next) === lane.config) continue;
      lane.peers.forEach((p) => p.close());
      this.#lanes.delete(id);
    }
    for (const channel of channels) {
      if (this.#lanes.has(channel.id) || !channel.enabled) continue;
      const lane: Lane = { channel, config: JSON.stringify(channel), peers: [], lastFailure: null };
      lane.peers = channel.urls.map(
        (url) =>
          new AmPeer(url, {
            batch: () => this.#batch(channel),
            post: (base, alerts) => this.#post(base, alerts),
            resendMs: channel.resend_interval_s * 1000,
            retryBaseMs: Math.min(this.options.retryBaseMs ?? 1000, channel.resend_interval_s * 1000),
            onResult: (peer, error) => this.#onResult(lane, peer, error),
          }),
      );
      this.#lanes.set(channel.id, lane);
      lane.peers.forEach((p) => p.kick()); // at start (or on a new channel): whatever still fires
    }
    // The silence matcher's engine loads once, soon after start and not on the start-up path, so a
    // viewer's first look at a node's silences does not pay for it while /health waits.
    if (this.#lanes.size > 0) setTimeout(() => void loadRe2().catch(() => {}), 1000).unref();
  }

  /** A decided alert (the same the other channels get) changes what fires. */
  onAlert(alert: Alert): void {
    const { instance } = this.options;
    let changed = false;
    const fireNode = (event: FiringEvent, id: string, reason: string, expires: boolean) => {
      const node = this.options.nodeOf(id);
      const labels = { alertname: AM_ALERTNAMES[event], node: id, role: node?.role ?? 'worker', severity: SEVERITY[event] };
      const web = this.options.webUrl?.();
      const link = web ? `${web.replace(/\/+$/, '')}/?node=${encodeURIComponent(id)}` : undefined;
      const annotations: Record<string, string> = { summary: event === 'node_down' ? `${id} is down` : alert.title, message: nodeLine(id, node, reason), instance, ...(link ? { link } : {}) };
      changed = this.#set.fire({ key: entryKey(labels.alertname, id), event, labels, annotations, expiresAt: expires ? new Date(this.#now() + ONE_OFF_MS).toISOString() : null }) || changed;
    };
    const resolve = (event: FiringEvent, subject: string) => (changed = this.#set.resolve(entryKey(AM_ALERTNAMES[event], subject)) || changed);
    // Service alerts carry the same labels from every monitor (alertname, service, severity), so two monitors' are one.
    const fireService = (event: 'service_pending' | 'service_rolled_back', expires: boolean) => {
      if (!alert.service) return;
      const name = alert.service.name;
      const labels = { alertname: AM_ALERTNAMES[event], service: name, severity: SEVERITY[event] };
      const web = this.options.webUrl?.();
      const annotations: Record<string, string> = { summary: alert.title, message: alert.service.reason, instance, ...(web ? { link: `${web.replace(/\/+$/, '')}/?view=services` } : {}) };
      changed = this.#set.fire({ key: entryKey(labels.alertname, name), event, labels, annotations, expiresAt: expires ? new Date(this.#now() + ONE_OFF_MS).toISOString() : null }) || changed;
    };
    switch (alert.event) {
      case 'node_down':
        alert.nodes.forEach((n) => fireNode('node_down', n.id, n.reason, false));
        break;
      case 'node_recovered':
        alert.nodes.forEach((n) => resolve('node_down', n.id));
        break;
      case 'monitor_offline':
        changed = this.#set.fire({
          key: entryKey(AM_ALERTNAMES.monitor_offline, instance),
          event: 'monitor_offline',
          labels: { alertname: AM_ALERTNAMES.monitor_offline, instance, severity: SEVERITY.monitor_offline },
          annotations: { summary: alert.title, message: alert.body, instance },
          expiresAt: null,
        });
        break;
      case 'monitor_online':
        resolve('monitor_offline', instance);
        break;
      case 'host_key_changed':
        alert.nodes.forEach((n) => fireNode('host_key_changed', n.id, n.reason, true));
        break;
      case 'failover':
        if (alert.to === 'active') alert.nodes.forEach((n) => resolve('failover', n.id));
        else alert.nodes.forEach((n) => fireNode('failover', n.id, n.reason, alert.to !== 'drain'));
        break;
      case 'service_pending':
        fireService('service_pending', false);
        break;
      case 'service_placed':
        if (alert.service) resolve('service_pending', alert.service.name);
        break;
      case 'service_rolled_back':
        fireService('service_rolled_back', true);
        break;
      default:
        return;
    }
    if (changed) this.#kickAll();
  }

  /**
   * After each sweep: alerts whose cause is over are resolved even where no recovery alert came
   * (the node was removed, put in maintenance, recovered while muted, or while this process was down).
   */
  reconcile(monitorOffline: boolean): void {
    const now = this.#now();
    let changed = false;
    for (const entry of this.#set.firing()) {
      const over = this.#causeOver(entry, monitorOffline);
      if (!over) {
        this.#clearSince.delete(entry.key);
        continue;
      }
      const since = this.#clearSince.get(entry.key) ?? now;
      this.#clearSince.set(entry.key, since);
      // Removal and maintenance at once; a recovery after the policy's window (it reports sooner when it does).
      if (over === 'gone' || now - since > this.options.groupWindowMs + 1000) {
        changed = this.#set.resolve(entry.key) || changed;
        this.#clearSince.delete(entry.key);
      }
    }
    if (changed) this.#kickAll();
  }

  state(channelId: string): ChannelDelivery | null {
    const lane = this.#lanes.get(channelId);
    if (!lane) return null;
    const peers = lane.peers.map((p) => p.state);
    const failing = peers.filter((p) => p.status === 'failing').length;
    const latest = peers.map((p) => p.last_success_at).filter((t): t is string => t !== null).sort().at(-1) ?? null;
    return {
      status: failing === peers.length && failing > 0 ? 'failing' : failing > 0 ? 'retrying' : peers.some((p) => p.status === 'ok') ? 'ok' : 'idle',
      sent: peers.reduce((n, p) => n + p.sent, 0),
      failed: peers.reduce((n, p) => n + p.failed, 0),
      retries: 0,
      pending: 0,
      consecutive_failures: Math.max(0, ...peers.map((p) => p.consecutive_failures)),
      last_success_at: latest,
      last_failure: lane.lastFailure,
      peers: peers.map(({ url, status, consecutive_failures, last_success_at, last_error }) => ({ url: redactUrl(url, 'alertmanager'), status, consecutive_failures, last_success_at, last_error: last_error && scrubSecrets(last_error, lane.channel) })),
    };
  }

  /** A short-lived OrchestratorTest alert to every peer; ok when every peer took it. */
  async test(channel: AlertmanagerChannel): Promise<DeliveryResult> {
    const now = this.#now();
    const alert: AmAlert = {
      labels: { alertname: 'OrchestratorTest', severity: 'info', instance: this.options.instance },
      annotations: { summary: 'Test alert from MCP Cloud Orchestrator', message: 'If you can read this, the channel works.', instance: this.options.instance },
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + 5 * 60_000).toISOString(),
    };
    const outcomes = await Promise.allSettled(channel.urls.map((url) => this.#post(url, [alert])));
    const errors = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [`${channel.urls[i]}: ${(o.reason as Error)?.message ?? o.reason}`] : []));
    return { channel_id: channel.id, ok: errors.length === 0, attempts: 1, error: errors.length ? scrubSecrets(errors.join('; '), channel) : null };
  }

  /** Active silences that match any of the node's alerts, from the first peer of each channel that answers. */
  async silences(nodeId: string): Promise<NodeSilences> {
    const node = this.options.nodeOf(nodeId);
    const labelSets = (['node_down', 'host_key_changed', 'failover'] as const).map((event) => ({ alertname: AM_ALERTNAMES[event], node: nodeId, role: node?.role ?? 'worker', severity: SEVERITY[event] }));
    const out: NodeSilences = { silences: [], errors: [] };
    for (const lane of this.#lanes.values()) {
      const answer = await this.#firstAnswer(lane.channel, 'api/v2/silences');
      if ('error' in answer) {
        out.errors.push({ channel_id: lane.channel.id, error: answer.error });
        continue;
      }
      const { covering, notes } = await coveringSilences(answer.silences, labelSets);
      for (const { silence: s, covers } of covering) {
        if (out.silences.some((o) => o.id === s.id)) continue;
        out.silences.push({ id: s.id, alertmanager: redactUrl(answer.url, 'alertmanager'), matchers: s.matchers.map(matcherText), covers, ends_at: s.endsAt ?? null, created_by: s.createdBy ?? '', comment: s.comment ?? '' });
      }
      for (const note of notes) out.errors.push({ channel_id: lane.channel.id, error: scrubSecrets(`${answer.url}: ${note}`, lane.channel) });
    }
    return out;
  }

  /**
   * A mute creates a silence for the node until the mute ends (channels with silence_on_mute); an
   * unmute expires the silences a mute created. Alertmanager being away costs the mute nothing: it is logged.
   */
  async onMute(node: Node, actor: string): Promise<void> {
    for (const lane of this.#lanes.values()) {
      if (!lane.channel.silence_on_mute) continue;
      try {
        if (node.muted_until && Date.parse(node.muted_until) > this.#now()) {
          const body = {
            matchers: [{ name: 'node', value: node.id, isRegex: false, isEqual: true }],
            startsAt: new Date(this.#now()).toISOString(),
            endsAt: node.muted_until,
            createdBy: actor,
            comment: `${MUTE_COMMENT} (${this.options.instance}) until ${node.muted_until}`,
          };
          await this.#onFirstPeer(lane.channel, (url) => this.#exchange(url, 'api/v2/silences', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
        } else {
          const answer = await this.#firstAnswer(lane.channel, 'api/v2/silences');
          if ('error' in answer) throw new Error(answer.error);
          const ours = (answer.silences as unknown[]).flatMap((entry) => {
            const s = SilenceWireSchema.safeParse(entry);
            return s.success && s.data.status?.state !== 'expired' && (s.data.comment ?? '').startsWith(MUTE_COMMENT) && s.data.matchers.some((m) => m.name === 'node' && m.value === node.id && !m.isRegex) ? [s.data] : [];
          });
          for (const s of ours) await this.#exchange(answer.url, `api/v2/silence/${encodeURIComponent(s.id)}`, { method: 'DELETE' });
        }
      } catch (error) {
        this.options.logEvent({ node: node.id, kind: 'alert_failed', from: 'mute', to: lane.channel.id, reason: scrubSecrets(`Alertmanager silence for ${node.id} not ${node.muted_until ? 'created' : 'expired'}: ${(error as Error).message}`, lane.channel) });
      }
    }
  }

  close(): void {
    for (const lane of this.#lanes.values()) lane.peers.forEach((p) => p.close());
    this.#lanes.clear();
    if (this.#graceTimer) clearTimeout(this.#graceTimer.timer);
    this.#graceTimer = null;
  }

  #causeOver(entry: AmEntry, monitorOffline: boolean): 'gone' | 'over' | null {
    if (entry.event === 'monitor_offline') return monitorOffline ? null : 'over';
    if (entry.event === 'service_pending') return this.options.servicePending?.(entry.labels.service) === false ? 'gone' : null;
    if (entry.event === 'service_rolled_back') return null; // a one-off: it expires
    const id = entry.labels.node;
    const node = id ? this.options.nodeOf(id) : undefined;
    if (!node) return 'gone';
    if (entry.event !== 'node_down') return null; // one-offs expire; a drain ends with "active again"
    if (node.maintenance) return 'gone';
    const health = this.options.healthOf(id);
    return health.status === 'healthy' && !health.last_known ? 'over' : null;
  }

  #batch(channel: AlertmanagerChannel): AmAlert[] {
    const now = this.#now();
    const holdMs = 4 * channel.resend_interval_s * 1000;
    const graceMs = resolveGraceMs(this.options.checkIntervalMs());
    return this.#set
      .current(graceMs)
      .filter((e) => (!channel.events || channel.events.includes(e.event)) && !this.#heldBack(e) && !this.#inGrace(e, now, graceMs))
      .map((e) => toAmAlert(e, now, holdMs));
  }

  /**
   * A resolution is not told before its grace is over (nor is the alert resent meanwhile: Alertmanager
   * keeps it until the endsAt it last had, or another monitor's resends, whichever is later).
   */
  #inGrace(entry: AmEntry, now: number, graceMs: number): boolean {
    if (!entry.resolvedAt) return false;
    const due = Date.parse(entry.resolvedAt) + graceMs;
    if (due <= now) return false;
    if (!this.#graceTimer || due < this.#graceTimer.at) {
      if (this.#graceTimer) clearTimeout(this.#graceTimer.timer);
      const timer = setTimeout(() => {
        this.#graceTimer = null;
        this.#kickAll();
      }, due - now + 10);
      timer.unref?.();
      this.#graceTimer = { at: due, timer };
    }
    return true;
  }

  /**
   * A firing NodeDown is resent only while this process's latest check of the node failed. Before
   * the first check since a start, and once a check passes (recovering, or about to be resolved),
   * Alertmanager keeps it until endsAt anyway, and a resend could fire again what another monitor
   * has just resolved.
   */
  #heldBack(entry: AmEntry): boolean {
    // ServicePending is resent only while this process's latest look at the swarm saw it pending.
    if (!entry.resolvedAt && entry.event === 'service_pending') return this.options.servicePending?.(entry.labels.service) !== true;
    if (entry.resolvedAt || entry.event !== 'node_down' || !entry.labels.node || !this.options.nodeOf(entry.labels.node)) return false;
    const health = this.options.healthOf(entry.labels.node);
    const failingNow = health.last_known !== true && health.checked_at !== null && health.error !== null;
    return !failingNow;
  }

  async #post(base: string, alerts: AmAlert[]): Promise<void> {
    await this.#exchange(base, 'api/v2/alerts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
  }

  /** One request to a peer, its user info sent as Basic auth. */
  #exchange(base: string, path: string, init: { method: 'GET' | 'POST' | 'DELETE'; headers?: Record<string, string>; body?: string }, maxBytes?: number): Promise<string> {
    const { url, headers } = endpoint(base, path);
    return httpExchange(url, { ...init, headers: { ...init.headers, ...headers } }, this.#timeoutMs, maxBytes);
  }

  #kickAll(): void {
    for (const lane of this.#lanes.values()) lane.peers.forEach((p) => p.kick());
  }

  #onResult(lane: Lane, peer: PeerState, error: string | null): void {
    if (error === null) return this.options.onOutcome(lane.channel, 'sent');
    lane.lastFailure = { at: new Date().toISOString(), event: this.#set.firing()[0]?.event ?? 'node_down', error: scrubSecrets(`${peer.url}: ${error}`, lane.channel), attempts: peer.consecutive_failures };
    const reported = peer.consecutive_failures === REPORT_AFTER;
    this.options.onOutcome(lane.channel, reported ? 'failed' : 'retried');
    if (reported) {
      this.options.logEvent({ node: null, kind: 'alert_failed', from: null, to: lane.channel.id, reason: scrubSecrets(`Alertmanager peer ${peer.url} (channel ${lane.channel.id}) failed ${REPORT_AFTER} sends in a row: ${error}; still retrying, the other peers are sent to as before`, lane.channel) });
    }
  }

  async #onFirstPeer<T>(channel: AlertmanagerChannel, act: (url: string) => Promise<T>): Promise<{ url: string; value: T }> {
    const errors: string[] = [];
    for (const url of channel.urls) {
      try {
        return { url, value: await act(url) };
      } catch (error) {
        errors.push(`${url}: ${(error as Error).message}`);
      }
    }
    throw new Error(errors.join('; '));
  }

  /** Silences are gossiped between peers: the first that answers has them all. */
  async #firstAnswer(channel: AlertmanagerChannel, path: string): Promise<{ url: string; silences: unknown } | { error: string }> {
    try {
      const { url, value } = await this.#onFirstPeer(channel, (base) => this.#exchange(base, path, { method: 'GET' }, 4 * 1024 * 1024));
      return { url, silences: JSON.parse(value) as unknown };
    } catch (error) {
      return { error: scrubSecrets((error as Error).message, channel) };
    }
  }
}

const OPERATORS = { eq: '=', ne: '!=', re: '=~', nre: '!~' } as const;
const matcherText = (m: AmMatcher): string => `${m.name}${OPERATORS[m.isEqual === false ? (m.isRegex ? 'nre' : 'ne') : m.isRegex ? 're' : 'eq']}"${m.value}"`;
