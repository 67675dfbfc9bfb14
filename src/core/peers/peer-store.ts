import { z } from 'zod';
import { MonitorPeerSchema, type MonitorPeer } from '../../shared/schemas/peers';
import { openStore, setAside, type ConfLike, type StoreFactory, type StoreRecovery } from '../registry/json-store';

const StoredSchema = z.object({ peers: z.array(z.unknown()).default([]) });

/**
 * The peers named in the settings, kept in DATA_DIR/monitor-peers.json (owner-only: it holds their
 * tokens). A peer that does not validate costs only itself: the file is copied aside and reported.
 */
export class PeerStore {
  readonly #conf: ConfLike;
  #peers: MonitorPeer[];

  constructor(dataDir: string, factory: StoreFactory, onRecovery: (recovery: StoreRecovery) => void) {
    const { conf, data } = openStore(factory, { cwd: dataDir, configName: 'monitor-peers' }, onRecovery);
    this.#conf = conf;
    const stored = StoredSchema.safeParse(data);
    const parsed = (stored.success ? stored.data.peers : []).map((entry) => MonitorPeerSchema.safeParse(entry));
    this.#peers = parsed.flatMap((p) => (p.success ? [p.data] : []));
    const invalid = parsed.filter((p) => !p.success).length + (stored.success ? 0 : 1);
    if (invalid > 0) {
      onRecovery(setAside(conf.path, `holds ${invalid} invalid peer(s), left out; ${this.#peers.length} valid one(s) kept`, true));
      this.#conf.store = { peers: this.#peers };
    }
  }

  all(): MonitorPeer[] {
    return this.#peers;
  }

  replace(peers: MonitorPeer[]): void {
    this.#conf.store = { peers };
    this.#peers = peers;
  }
}
