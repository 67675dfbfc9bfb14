import type { MonitorSettings, MonitorSettingSources, SettingSource } from '../../shared/schemas/settings';
import { validMonitorFields } from '../../shared/schemas/settings';
import { openStore, type ConfLike, type StoreFactory, type StoreRecovery } from '../registry/json-store';

export const SETTINGS_STORE_NAME = 'monitor-settings';
/** Settings the environment, a flag or .env set (and MONITOR_PEERS, as monitor_peers). */
export type PinnedSources = Partial<Record<keyof MonitorSettings | 'monitor_peers', Exclude<SettingSource, 'default' | 'saved'>>>;

/**
 * Monitor settings the operator changed, kept in DATA_DIR (only the fields they changed). At start the
 * environment and flags still win over saved values; `sources` says where each value came from.
 */
export class SettingsStore {
  readonly #conf: ConfLike;
  readonly #sources: MonitorSettingSources;
  readonly effective: MonitorSettings;

  constructor(options: { dataDir: string; storeFactory: StoreFactory; base: MonitorSettings; pinned?: PinnedSources; onRecovery?: (recovery: StoreRecovery) => void; onRefused?: (keys: string[]) => void }) {
    this.#conf = openStore(options.storeFactory, { cwd: options.dataDir, configName: SETTINGS_STORE_NAME }, options.onRecovery ?? (() => {})).conf;
    const pinned = options.pinned ?? {};
    // A saved file that no longer validates (hand-edited, another version's bounds) is ignored field by field.
    const { valid: savedValues, refused } = validMonitorFields(this.#conf.store);
    if (refused.length > 0) options.onRefused?.(refused);
    const keys = Object.keys(options.base) as Array<keyof MonitorSettings>;
    const effective = { ...options.base } as Record<keyof MonitorSettings, number>;
    this.#sources = {} as MonitorSettingSources;
    for (const key of keys) {
      if (pinned[key]) this.#sources[key] = pinned[key]!;
      else if (savedValues[key] !== undefined) {
        effective[key] = savedValues[key]!;
        this.#sources[key] = 'saved';
      } else this.#sources[key] = 'default';
    }
    this.effective = effective as MonitorSettings;
  }

  get sources(): MonitorSettingSources {
    return { ...this.#sources };
  }

  /** Saves the fields that differ from `before` (a write that fails throws, and the caller answers 507). */
  saveChanges(before: MonitorSettings, after: MonitorSettings): void {
    const changed = (Object.keys(after) as Array<keyof MonitorSettings>).filter((key) => after[key] !== before[key]);
    if (changed.length === 0) return;
    const next: Record<string, unknown> = { ...this.#conf.store };
    for (const key of changed) {
      next[key] = after[key];
      this.#sources[key] = 'saved';
    }
    this.#conf.store = next;
  }
}
