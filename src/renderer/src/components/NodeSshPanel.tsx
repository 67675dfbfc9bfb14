import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HostKeyPin, NodeMetrics } from '../../../shared/schemas/ssh';
import type { TailscalePresence } from '../../../shared/schemas/tailscale';
import { useClusterStore } from '../store/cluster-store';
import { useGate } from '../store/scope-gate';
import { formatDateTime, formatNumber } from '../i18n/format';

/** Metrics read over SSH on demand, and the node's pinned host key with a way to forget it. */
export function NodeSshPanel({ id, keyPath }: { id: string; keyPath?: string }) {
  const { t } = useTranslation();
  const api = useClusterStore((s) => s.api)!;
  const gate = useGate();
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
  const gb = (mb: number) => formatNumber(mb / 1024, 1);

  return (
    <>
      <h3>{t('ssh.metrics')} <button onClick={read} disabled={loading}>{loading ? t('ssh.reading') : t('ssh.readNow')}</button></h3>
      {error && <p className="error" role="alert">{error}</p>}
      {metrics && (
        <dl className="facts" data-testid="metrics">
          <dt>{t('ssh.load')}</dt>
          <dd>{t('ssh.loadValue', { l1: formatNumber(metrics.load_1, 2), l5: formatNumber(metrics.load_5, 2), l15: formatNumber(metrics.load_15, 2), count: metrics.cpu_count })}</dd>
          <dt>{t('ssh.memory')}</dt><dd>{t('ssh.memoryValue', { free: gb(metrics.mem_available_mb), total: gb(metrics.mem_total_mb) })}</dd>
          <dt>{t('ssh.disk')}</dt><dd>{t('ssh.diskValue', { pct: formatNumber(metrics.disk_used_pct), total: formatNumber(metrics.disk_total_gb) })}</dd>
          <dt>{t('ssh.uptime')}</dt><dd>{t('ssh.uptimeValue', { days: formatNumber(metrics.uptime_s / 86400, 1) })}</dd>
        </dl>
      )}
      {presence && (
        <>
          <h3>{t('detail.tailscale')}</h3>
          <p data-testid="tailscale-presence">
            {presence.online ? t('tailscale.online') : t('tailscale.offline')}
            {presence.last_seen && ` · ${t('detail.lastSeen', { time: formatDateTime(presence.last_seen) })}`}
            {presence.disagreement && <strong className="error"> — {presence.online ? t('ssh.disagreeOnline') : t('ssh.disagreeOffline')}</strong>}
          </p>
        </>
      )}
      {keyPath && (
        <p>
          <label>
            {t('ssh.passphraseFor', { path: keyPath })}{' '}
            <input type="password" value={passphrase} autoComplete="off" onChange={(e) => setPassphrase(e.target.value)} />
          </label>{' '}
          <button
            {...gate('ssh:savePassphrase', !passphrase)}
            onClick={() =>
              api.invoke('ssh:savePassphrase', { key_path: keyPath, passphrase }).then(
                () => (setPassphrase(''), setSavedNote(t('ssh.keptInKeychain'))),
                (e: Error) => setSavedNote(e.message),
              )
            }
          >
            {t('common.save')}
          </button>{' '}
          {savedNote && <span className="muted">{savedNote}</span>}
        </p>
      )}
      <h3>{t('ssh.hostKey')}</h3>
      {pin ? (
        <p className="mono">
          {pin.fingerprints.join(', ')} <span className="muted">({t(`ssh.pinSource.${pin.source}`)}, {formatDateTime(pin.pinned_at)})</span>{' '}
          <button {...gate('hostKey:forget')} onClick={() => api.invoke('hostKey:forget', { id }).then(() => setPin(null), (e: Error) => setError(e.message))}>{t('ssh.forget')}</button>
        </p>
      ) : (
        <p className="muted">{t('ssh.notPinned')}</p>
      )}
    </>
  );
}
