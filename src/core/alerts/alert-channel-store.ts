import { AlertChannelSchema, type AlertChannel } from '../../shared/schemas/alerts';
import type { StoreFactory, StoreRecovery } from '../registry/json-store';
import { ValidatedListStore } from '../registry/validated-list-store';

/**
 * The channels edited in the UI, kept in DATA_DIR/alert-channels.json (owner-only: it holds
 * webhook tokens and SMTP passwords); a channel that does not validate costs only itself.
 */
export class AlertChannelStore extends ValidatedListStore<AlertChannel> {
  constructor(dataDir: string, factory: StoreFactory, onRecovery: (recovery: StoreRecovery) => void) {
    super({
      dataDir, factory, onRecovery, configName: 'alert-channels', key: 'channels', schema: AlertChannelSchema, noun: 'alert channel',
      describe: (entry, i, error) => `channel ${i + 1}${channelId(entry)}: ${error.issues[0]?.path.join('.') || 'channel'} ${error.issues[0]?.message ?? 'is invalid'}`,
    });
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
