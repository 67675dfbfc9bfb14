import { useEffect, useState } from 'react';
import type { HostKeyPin, NodeMetrics } from '../../../shared/schemas/ssh';
import type { TailscalePresence } from '../../../shared/schemas/tailscale';
import { useClusterStore } from '../store/cluster-store';

const gb = (mb: number) => (mb / 1024).toFixed(1);

/** Metrics read over SSH on demand, and the node's pinned host key with a way to forget it. */
export function NodeSshPanel({ id, keyPath }: { id: string; keyPath?: string }) {
  const api = useClusterStore((s) => s.api)!;
  const [metrics, setMetrics] = useState<NodeMetrics | null>(null);
  const [pin, setPin] = useState<HostKeyPin | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [presence, setPresence] = useState<TailscalePresence | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [savedNote, setSavedNote] = useState<string | null>(null);

  useEffect(() => {
    setMetrics(null);
    setError(null);
    void api.invoke('hostKey:get', { id }).then(setPin, () => setPin(null));
    void api.invoke('tailscale:presence', {}).then((p) => setPresence(p.nodes.find((n) => n.node_id === id) ?? null), () => setPresence(null));
  }, [api, id]);

  const read = async () => {
    setLoading(true);
    setError(null);
    try {
      setMetrics(await api.invoke('metrics:get', { id }));
      setPin(await api.invoke('hostKey:get', { id }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoading(false);
    }
  };

  return (
    <>
      <h3>Metrics <button onClick={read} disabled={loading}>{loading ? 'Reading…' : 'Read now'}</button></h3>
      {error && <p className="error" role="alert">{error}</p>}
      {metrics && (
        <dl className="facts" data-testid="metrics">
          <dt>Load</dt><dd>{metrics.load_1} / {metrics.load_5} / {metrics.load_15} on {metrics.cpu_count} CPUs</dd>
          <dt>Memory</dt><dd>{gb(metrics.mem_available_mb)} of {gb(metrics.mem_total_mb)} GB free</dd>
          <dt>Root disk</dt><dd>{metrics.disk_used_pct}% of {metrics.disk_total_gb} GB used</dd>
          <dt>Uptime</dt><dd>{(metrics.uptime_s / 86400).toFixed(1)} days</dd>
        </dl>
      )}
      {presence && (
        <>
          <h3>Tailscale</h3>
          <p data-testid="tailscale-presence">
            {presence.online ? 'online' : 'offline'}
            {presence.last_seen && ` · last seen ${new Date(presence.last_seen).toLocaleString()}`}
            {presence.disagreement && <strong className="error"> — {presence.disagreement}</strong>}
          </p>
        </>
      )}
      {keyPath && (
        <p>
          <label>
            Passphrase for {keyPath}{' '}
            <input type="password" value={passphrase} autoComplete="off" onChange={(e) => setPassphrase(e.target.value)} />
          </label>{' '}
          <button
            disabled={!passphrase}
            onClick={() =>
              api.invoke('ssh:savePassphrase', { key_path: keyPath, passphrase }).then(
                () => (setPassphrase(''), setSavedNote('kept in the OS keychain')),
                (e: Error) => setSavedNote(e.message),
              )
            }
          >
            Save
          </button>{' '}
          {savedNote && <span className="muted">{savedNote}</span>}
        </p>
      )}
      <h3>SSH host key</h3>
      {pin ? (
        <p className="mono">
          {pin.fingerprints.join(', ')} <span className="muted">({pin.source}, {new Date(pin.pinned_at).toLocaleDateString()})</span>{' '}
          <button onClick={() => api.invoke('hostKey:forget', { id }).then(() => setPin(null), (e: Error) => setError(e.message))}>Forget</button>
        </p>
      ) : (
        <p className="muted">not pinned yet (pinned on first connection)</p>
      )}
    </>
  );
}
