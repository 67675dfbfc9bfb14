import crypto from 'node:crypto';
import type { HostKeyPin } from '../../shared/schemas/ssh';
import { openStore, type ConfLike, type StoreFactory, type StoreRecovery } from '../registry/json-store';

/** OpenSSH-style fingerprint of a host key blob: SHA256:<base64 without padding>. */
export function fingerprint(keyBlob: Buffer): string {
  return `SHA256:${crypto.createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** Fingerprint of an authorized_keys-style line such as "ssh-ed25519 AAAA… comment". */
export function fingerprintOfPublicKeyLine(line: string): string | null {
  const base64 = line.trim().split(/\s+/)[1];
  if (!base64) return null;
  const blob = Buffer.from(base64, 'base64');
  return blob.length > 0 ? fingerprint(blob) : null;
}

export type HostKeyVerdict = { kind: 'match' } | { kind: 'new' } | { kind: 'mismatch'; pinned: string[]; presented: string };

/** Pinned SSH host keys per node, in DATA_DIR/host-keys.json. A changed key is refused until forgotten. */
export class HostKeyStore {
  readonly #conf: ConfLike;
  readonly #pins: Map<string, HostKeyPin>;

  /** A corrupt host-keys.json is set aside and reported like the registry's; pins then start empty. */
  constructor(dataDir: string, storeFactory: StoreFactory, onRecovery: (recovery: StoreRecovery) => void = () => {}) {
    this.#conf = openStore(storeFactory, { cwd: dataDir, configName: 'host-keys' }, onRecovery).conf;
    this.#pins = new Map(Object.entries((this.#conf.store.pins ?? {}) as Record<string, HostKeyPin>));
  }

  get(nodeId: string): HostKeyPin | null {
    return this.#pins.get(nodeId) ?? null;
  }

  verify(nodeId: string, keyBlob: Buffer): HostKeyVerdict {
    const pin = this.#pins.get(nodeId);
    if (!pin) return { kind: 'new' };
    const presented = fingerprint(keyBlob);
    return pin.fingerprints.includes(presented) ? { kind: 'match' } : { kind: 'mismatch', pinned: pin.fingerprints, presented };
  }

  pin(nodeId: string, fingerprints: string[], source: HostKeyPin['source']): HostKeyPin {
    const pin: HostKeyPin = { node_id: nodeId, fingerprints, source, pinned_at: new Date().toISOString() };
    this.#write(new Map(this.#pins).set(nodeId, pin));
    return pin;
  }

  /** Keys Tailscale announces are pinned only where nothing is pinned yet. */
  prePin(nodeId: string, announcedKeys: string[]): void {
    if (this.#pins.has(nodeId)) return;
    const fingerprints = announcedKeys.map(fingerprintOfPublicKeyLine).filter((f): f is string => f !== null);
    if (fingerprints.length > 0) this.pin(nodeId, fingerprints, 'tailscale');
  }

  forget(nodeId: string): boolean {
    if (!this.#pins.has(nodeId)) return false;
    const next = new Map(this.#pins);
    next.delete(nodeId);
    this.#write(next);
    return true;
  }

  #write(next: Map<string, HostKeyPin>): void {
    this.#conf.store = { pins: Object.fromEntries(next) };
    this.#pins.clear();
    for (const [id, pin] of next) this.#pins.set(id, pin);
  }
}
