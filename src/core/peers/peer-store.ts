import { MonitorPeerSchema, type MonitorPeer } from '../../shared/schemas/peers';
import type { StoreFactory, StoreRecovery } from '../registry/json-store';
import { ValidatedListStore } from '../registry/validated-list-store';

/** The peers named in the settings, kept in DATA_DIR/monitor-peers.json (owner-only: it holds their tokens). */
export class PeerStore extends ValidatedListStore<MonitorPeer> {
  constructor(dataDir: string, factory: StoreFactory, onRecovery: (recovery: StoreRecovery) => void) {
    super({ dataDir, factory, onRecovery, configName: 'monitor-peers', key: 'peers', schema: MonitorPeerSchema, noun: 'peer' });
  }
}
