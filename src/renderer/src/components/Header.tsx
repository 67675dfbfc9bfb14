import { useState } from 'react';
import { useClusterStore } from '../store/cluster-store';
import { STATE_LABEL, stateColor, timeAgo } from './state-colors';

export function Header({ onAdd, onImport, onSettings }: { onAdd(): void; onImport(): void; onSettings(): void }) {
  const status = useClusterStore((s) => s.status);
  const api = useClusterStore((s) => s.api);
  const [checking, setChecking] = useState(false);
  if (!status || !api) return <header className="header" />;
  const paused = status.monitor.paused;
  const shownState = status.monitor.offline || paused ? 'unknown' : status.state;
  const checkNow = async () => {
    setChecking(true);
    try {
      await api.invoke('cluster:checkNow', {});
    } finally {
      setChecking(false);
    }
  };
  return (
    <header className="header">
      <div className="cluster-state" data-testid="cluster-state" data-state={status.state} style={{ borderColor: stateColor(shownState) }}>
        <span className="dot" style={{ background: stateColor(shownState) }} aria-hidden />
        <strong>{STATE_LABEL[status.state]}</strong>
        {status.monitor.offline && <span className="pill">monitor offline</span>}
        {paused && <span className="pill">paused{status.monitor.paused_until ? ` until ${new Date(status.monitor.paused_until).toLocaleTimeString()}` : ''}</span>}
      </div>
      <dl className="counts" aria-label="Node counts">
        <div><dt>Healthy</dt><dd data-testid="count-healthy">{status.healthy_nodes}/{status.total_nodes}</dd></div>
        <div><dt>Degraded</dt><dd>{status.degraded_nodes}</dd></div>
        <div><dt>Unhealthy</dt><dd data-testid="count-unhealthy">{status.unhealthy_nodes}</dd></div>
        <div><dt>Maintenance</dt><dd>{status.maintenance_nodes}</dd></div>
        <div><dt>Availability</dt><dd>{status.availability.toFixed(1)}%</dd></div>
        <div><dt>Last sweep</dt><dd title={status.checked_at ?? ''}>{timeAgo(status.checked_at)}</dd></div>
      </dl>
      <div className="actions">
        <button onClick={checkNow} disabled={checking}>{checking ? 'Checking…' : 'Check now'}</button>
        {paused ? (
          <button onClick={() => api.invoke('cluster:resume', {})}>Resume monitoring</button>
        ) : (
          <button onClick={() => api.invoke('cluster:pause', { duration_s: 3600 })} title="Pause for 1 hour">Pause 1 h</button>
        )}
        <button onClick={onAdd}>Add node</button>
        <button onClick={onImport}>Import / export</button>
        <button onClick={onSettings}>Settings</button>
      </div>
    </header>
  );
}
