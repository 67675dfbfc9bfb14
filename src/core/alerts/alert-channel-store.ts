import { z } from 'zod';
import { AlertChannelSchema, type AlertChannel } from '../../shared/schemas/alerts';
import { openStore, setAside, type ConfLike, type StoreFactory, type StoreRecovery } from '../registry/json-store';

const StoredSchema = z.object({ channels: z.array(z.unknown()).default([]) });

/**
 * The channels edited in the UI, kept in DATA_DIR/alert-channels.json (owner-only: it holds
 * webhook tokens and SMTP passwords). A channel that does not validate (hand-edited, an older
 * version) costs only itself: the file is copied aside and reported, and the valid channels stay.
 */
export class AlertChannelStore {
  readonly #conf: ConfLike;
  #channels: AlertChannel[];

  constructor(dataDir: string, factory: StoreFactory, onRecovery: (recovery: StoreRecovery) => void) {
    const { conf, data } = openStore(factory, { cwd: dataDir, configName: 'alert-channels' }, onRecovery);
    this.#conf = conf;
    const stored = StoredSchema.safeParse(data);
    const entries = stored.success ? stored.data.channels : [];
    const parsed = entries.map((entry) => AlertChannelSchema.safeParse(entry));
    this.#channels = parsed.flatMap((p) => (p.success ? [p.data] : []));
    const invalid = parsed.flatMap((p, i) => (p.success ? [] : [`channel ${i + 1}${channelId(entries[i])}: ${p.error.issues[0]?.path.join('.') || 'channel'} ${p.error.issues[0]?.message ?? 'is invalid'}`]));
    if (!stored.success) invalid.push('"channels" is not a list');
    if (invalid.length > 0) {
      onRecovery(setAside(conf.path, `holds ${invalid.length} invalid alert channel(s), left out (${invalid.join('; ')}); ${this.#channels.length} valid one(s) kept`, true));
      this.#conf.store = { channels: this.#channels };
    }
  }

  all(): AlertChannel[] {
    return this.#channels;
  }

  replace(channels: AlertChannel[]): void {
    this.#conf.store = { channels };
    this.#channels = channels;
  }
}

const channelId = (entry: unknown): string => {
  const id = (entry as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? ` ("${id.slice(0, 64)}")` : '';
};

/** ALERT_WEBHOOK_URL="https://a,https://b" → generic webhook channels env-1, env-2 (read-only). */
export function envWebhookChannels(urls: string[]): AlertChannel[] {
  return urls.map((url, i) => AlertChannelSchema.parse({ id: `env-${i + 1}`, name: 'ALERT_WEBHOOK_URL', type: 'webhook', url }));
}

/** ALERTMANAGER_URL="http://am-1:9093,http://am-2:9093" → one Alertmanager channel, env-alertmanager (read-only). */
export function envAlertmanagerChannel(urls: string[]): AlertChannel[] {
  return urls.length === 0 ? [] : [AlertChannelSchema.parse({ id: 'env-alertmanager', name: 'ALERTMANAGER_URL', type: 'alertmanager', urls })];
}
