import { z } from 'zod';
import { AlertChannelSchema, type AlertChannel } from '../../shared/schemas/alerts';
import { openStore, setAside, type ConfLike, type StoreFactory, type StoreRecovery } from '../registry/json-store';

const StoredSchema = z.object({ channels: z.array(AlertChannelSchema).default([]) });

/**
 * The channels edited in the UI, kept in DATA_DIR/alert-channels.json (owner-only: it holds
 * webhook tokens and SMTP passwords). A file that does not validate is set aside and reported.
 */
export class AlertChannelStore {
  readonly #conf: ConfLike;
  #channels: AlertChannel[];

  constructor(dataDir: string, factory: StoreFactory, onRecovery: (recovery: StoreRecovery) => void) {
    const { conf, data } = openStore(factory, { cwd: dataDir, configName: 'alert-channels' }, onRecovery);
    this.#conf = conf;
    const parsed = StoredSchema.safeParse(data);
    if (parsed.success) this.#channels = parsed.data.channels;
    else {
      onRecovery(setAside(conf.path, `does not hold valid alert channels: ${parsed.error.issues[0]?.message ?? 'invalid'}`, true));
      this.#channels = [];
      this.#conf.store = { channels: [] };
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

/** ALERT_WEBHOOK_URL="https://a,https://b" → generic webhook channels env-1, env-2 (read-only). */
export function envWebhookChannels(urls: string[]): AlertChannel[] {
  return urls.map((url, i) => AlertChannelSchema.parse({ id: `env-${i + 1}`, name: 'ALERT_WEBHOOK_URL', type: 'webhook', url }));
}
