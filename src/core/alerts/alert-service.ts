import os from 'node:os';
import { OrchestratorError, parseOrThrow } from '../../shared/errors';
import { AlertChannelsUpdateSchema, type AlertChannel, type AlertChannelsView, type AlertPayload, type AlertTestResult, type NodeSilences } from '../../shared/schemas/alerts';
import type { Node } from '../../shared/schemas/node';
import { Emitter } from '../util/emitter';
import type { NodeRegistry } from '../registry/node-registry';
import type { StoreFactory, StoreRecovery } from '../registry/json-store';
import type { ClusterMonitor } from '../monitor/cluster-monitor';
import { AlertPolicy, DEFAULT_GROUP_WINDOW_MS, type Alert } from './alert-policy';
import { buildAlertPayload } from './alert-payload';
import { AlertDelivery, DEFAULT_DELIVERY, type DeliveryOutcome, type DeliveryPolicy, type DeliveryResult } from './alert-delivery';
import { AlertChannelStore, envAlertmanagerChannel, envWebhookChannels } from './alert-channel-store';
import { AlertmanagerForwarder, type AlertmanagerChannel } from './alertmanager/alertmanager-forwarder';
import { redactChannel, restoreSecrets } from '../util/redaction';
import { sendToChannel, type ChannelSender } from './channel-sender';
import { channelChanges, describeChannelChanges } from './channel-changes';
import type { AuditLog } from '../ssh/audit-log';

export interface AlertServiceOptions {
  dataDir: string;
  storeFactory: StoreFactory;
  registry: NodeRegistry;
  monitor: ClusterMonitor;
  /** From ALERT_WEBHOOK_URL: generic webhooks that exist while the variable is set. */
  envWebhookUrls?: string[];
  /** From ALERTMANAGER_URL: every peer of an Alertmanager cluster, one read-only channel. */
  envAlertmanagerUrls?: string[];
  /** Names this monitor in what it sends (default: the hostname). */
  instance?: string;
  /** The web UI's address people open (a link in each Alertmanager alert); read when an alert is made. */
  webUrl?: () => string | undefined;
  /** Changes within this window become one alert (default 5 s). */
  groupWindowMs?: number;
  delivery?: Partial<DeliveryPolicy>;
  sender?: ChannelSender;
  onRecovery?: (recovery: StoreRecovery) => void;
  /** Where channel changes are recorded, beside commands and container actions. */
  audit?: Pick<AuditLog, 'record'>;
  /** Whether a service still pends as the service watch last saw it (Alertmanager resends ServicePending only then). */
  servicePending?: (name: string) => boolean | null;
}

/** Decides whether and when this monitor sends an alert to people (with peers: alert-handoff.ts). */
export interface AlertGate {
  gate(alert: Alert, send: () => void): void;
}

export interface AlertServiceEvents extends Record<string, unknown> {
  /** Every decided alert; the desktop shows it as a native notification. */
  alert: Alert;
  /** Every delivery outcome, for metrics. */
  delivery: { channel: AlertChannel; outcome: DeliveryOutcome };
  /** A channel that no longer exists: its metric series go with it. */
  channelRemoved: { id: string };
}

/**
 * Alerts for the operator who is away: one policy (shared with native notifications) decides,
 * and every enabled channel gets the alert through its own retrying queue, off the monitor's path.
 */
export class AlertService {
  readonly events = new Emitter<AlertServiceEvents>();
  readonly #store: AlertChannelStore;
  readonly #env: AlertChannel[];
  readonly #delivery: AlertDelivery;
  readonly #policy: AlertPolicy;
  readonly #offs: Array<() => void>;
  readonly #testsInFlight = new Map<string, Promise<DeliveryResult>>();
  readonly #alertmanager: AlertmanagerForwarder;
  #gate: AlertGate | null = null;

  constructor(private readonly options: AlertServiceOptions) {
    const { registry, monitor } = options;
    this.#store = new AlertChannelStore(options.dataDir, options.storeFactory, options.onRecovery ?? (() => {}));
    this.#env = [...envWebhookChannels(options.envWebhookUrls ?? []), ...envAlertmanagerChannel(options.envAlertmanagerUrls ?? [])];
    const groupWindowMs = options.groupWindowMs ?? DEFAULT_GROUP_WINDOW_MS;
    this.#alertmanager = new AlertmanagerForwarder({
      dataDir: options.dataDir,
      storeFactory: options.storeFactory,
      onRecovery: options.onRecovery ?? (() => {}),
      instance: options.instance ?? os.hostname(),
      webUrl: options.webUrl,
      nodeOf: (id) => registry.get(id),
      healthOf: (id) => monitor.healthOf(id),
      servicePending: options.servicePending,
      logEvent: (event) => monitor.logEvent(event),
      onOutcome: (channel, outcome) => this.events.emit('delivery', { channel, outcome }),
      groupWindowMs,
      checkIntervalMs: () => monitor.settings.interval_s * 1000,
      timeoutMs: options.delivery?.timeoutMs,
      retryBaseMs: options.delivery?.baseDelayMs,
    });
    this.#delivery = new AlertDelivery(options.sender ?? sendToChannel, { ...DEFAULT_DELIVERY, ...options.delivery }, (channel, outcome, payload, error, attempts) =>
      this.#onOutcome(channel, outcome, payload, error, attempts),
    );
    this.#policy = new AlertPolicy({ nodeOf: (id) => registry.get(id), groupWindowMs, show: (alert) => this.#dispatch(alert) });
    this.#offs = [
      monitor.events.on('event', (event) => this.#policy.onEvent(event)),
      monitor.events.on('status', (status) => {
        this.#policy.setPaused(status.monitor.paused);
        this.#alertmanager.reconcile(status.monitor.offline);
      }),
    ];
    this.#alertmanager.setChannels(this.#alertmanagerChannels()); // resends what still fired before a restart
  }

  /** Every channel (environment first), secrets redacted, with how its deliveries went. */
  list(): AlertChannelsView {
    const view = (channel: AlertChannel, source: 'env' | 'data_dir') => ({
      channel: redactChannel(channel),
      source,
      delivery: (channel.type === 'alertmanager' ? this.#alertmanager.state(channel.id) : null) ?? this.#delivery.state(channel.id),
    });
    return { channels: [...this.#env.map((c) => view(c, 'env')), ...this.#store.all().map((c) => view(c, 'data_dir'))] };
  }

  /**
   * Replaces the DATA_DIR channels; redacted secrets sent back unchanged keep their stored values.
   * A change is written to the event log and the audit log: who, which channels, which fields.
   */
  update(input: unknown, actor = 'api'): AlertChannelsView {
    const { channels } = parseOrThrow(AlertChannelsUpdateSchema, input);
    channels.forEach((c, i) => {
      if (this.#env.some((e) => e.id === c.id)) throw new OrchestratorError('validation_error', `Channel id "${c.id}" belongs to ALERT_WEBHOOK_URL`, [{ field: `channels.${i}.id`, message: 'is taken by an environment channel' }]);
    });
    const previous = this.#store.all();
    const next = restoreSecrets(channels, previous);
    const change = describeChannelChanges(channelChanges(previous, next));
    // Audited first: a change that cannot be recorded is not made (as with commands).
    if (change) this.options.audit?.record({ actor, action: 'update_alert_channels', nodes: [], detail: change, outcome: 'ok' });
    this.#store.replace(next);
    this.#alertmanager.setChannels(this.#alertmanagerChannels());
    for (const old of previous) {
      if (channels.some((c) => c.id === old.id)) continue;
      this.#delivery.forget(old.id);
      this.events.emit('channelRemoved', { id: old.id });
    }
    if (change) this.options.monitor.logEvent({ node: null, kind: 'alert_channels_changed', from: null, to: null, reason: `${actor} changed alert channels: ${change}` });
    return this.list();
  }

  /** Sends a test alert and waits for the outcome (retries included). */
  async test(channelId?: string): Promise<AlertTestResult> {
    const all = this.#channels();
    const targets = channelId === undefined ? all.filter((c) => c.enabled) : all.filter((c) => c.id === channelId);
    if (channelId !== undefined && targets.length === 0) throw new OrchestratorError('not_found', `Alert channel "${channelId}" not found`, [{ field: 'channel_id', message: 'no channel with this id' }]);
    const payload = this.#payload({ event: 'test', title: 'Test alert from MCP Cloud Orchestrator', body: 'If you can read this, the channel works.', nodeId: null, nodes: [] });
    // One test per channel at a time: a test asked for while one is on its way shares its outcome,
    // so repeated tests cannot fill a channel's queue (and a test never displaces a real alert there).
    const results = await Promise.all(
      targets.map((channel) => {
        let pending = this.#testsInFlight.get(channel.id);
        if (!pending) {
          const sent = channel.type === 'alertmanager' ? this.#alertmanager.test(channel) : this.#delivery.deliver(channel, payload);
          pending = sent.finally(() => this.#testsInFlight.delete(channel.id));
          this.#testsInFlight.set(channel.id, pending);
        }
        return pending;
      }),
    );
    return { results };
  }

  /** Active Alertmanager silences that cover the node's alerts (empty without an Alertmanager channel). */
  silences(nodeId: string): Promise<NodeSilences> {
    return this.#alertmanager.silences(nodeId);
  }

  /** After a mute or unmute: Alertmanager channels with silence_on_mute follow it (never fails the mute). */
  followMute(node: Node, actor: string): Promise<void> {
    return this.#alertmanager.onMute(node, actor);
  }

  /** With peers, one of them sends each alert to people (Alertmanager deduplicates by itself). */
  setGate(gate: AlertGate | null): void {
    this.#gate = gate;
  }

  /** Collected changes go out now instead of at the end of the grouping window. */
  flush(): void {
    this.#policy.flush();
  }

  dispose(): void {
    this.#offs.forEach((off) => off());
    this.#policy.setPaused(true); // drops a half-collected window
    this.#delivery.close();
    this.#alertmanager.close();
  }

  #payload(alert: Alert): AlertPayload {
    return buildAlertPayload(alert, (id) => this.options.registry.get(id), this.options.monitor.status());
  }

  /** Every channel: the environment's, then DATA_DIR's. */
  #channels(): AlertChannel[] {
    return [...this.#env, ...this.#store.all()];
  }

  #alertmanagerChannels(): AlertmanagerChannel[] {
    return this.#channels().filter((c): c is AlertmanagerChannel => c.type === 'alertmanager');
  }

  #dispatch(alert: Alert): void {
    this.events.emit('alert', alert);
    // Alertmanager keeps its own state of what fires (each of its channels filters by events).
    this.#alertmanager.onAlert(alert);
    const targets = this.#channels().filter((c) => c.type !== 'alertmanager' && c.enabled && (!c.events || c.events.includes(alert.event)));
    if (targets.length === 0) return;
    const payload = this.#payload(alert);
    const send = () => targets.forEach((channel) => void this.#delivery.deliver(channel, payload));
    if (this.#gate) this.#gate.gate(alert, send);
    else send();
  }

  #onOutcome(channel: AlertChannel, outcome: DeliveryOutcome, payload: AlertPayload, error: string | null, attempts: number): void {
    this.events.emit('delivery', { channel, outcome });
    if (outcome !== 'failed' && outcome !== 'dropped') return;
    const what = outcome === 'dropped' ? 'dropped' : `not delivered after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
    this.options.monitor.logEvent({ node: null, kind: 'alert_failed', from: payload.event, to: channel.id, reason: `Alert "${payload.title}" to ${channel.type} channel ${channel.id} ${what}: ${error ?? 'unknown error'}` });
  }
}
