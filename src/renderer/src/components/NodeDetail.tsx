import { useEffect, useState } from 'react';
import type { HistoryPoint, Uptime } from '../../../shared/schemas/health';
import type { ProbeResult } from '../../../shared/schemas/probe';
import { UNKNOWN_HEALTH, useClusterStore } from '../store/cluster-store';
import { LatencyChart } from './LatencyChart';
import { NodeSshPanel } from './NodeSshPanel';
import { ContainersPanel } from './ContainersPanel';
import { formatUptime, HeartbeatStrip } from './HeartbeatStrip';
import { STATE_LABEL, stateColor, timeAgo } from './state-colors';

export function NodeDetail({ onEdit, onRun }: { onEdit(): void; onRun(ids: string[]): void }) {
  const api = useClusterStore((s) => s.api)!;
  const id = useClusterStore((s) => s.selectedId);
  const node = useClusterStore((s) => (s.selectedId ? s.nodes.get(s.selectedId) : undefined));
  const health = useClusterStore((s) => (s.selectedId ? s.health.get(s.selectedId) : undefined)) ?? UNKNOWN_HEALTH;
  const allEvents = useClusterStore((s) => s.events);
  const select = useClusterStore((s) => s.select);
  const [range, setRange] = useState<'1h' | '24h'>('1h');
  const [history, setHistory] = useState<HistoryPoint[]>([]);
  const [probes, setProbes] = useState<ProbeResult[]>([]);
  const [uptime, setUptime] = useState<Uptime | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const checkedAt = health.checked_at;

  // Refreshed when this node's health is pushed (a new check), never on a timer.
  useEffect(() => {
    if (!id) return;
    let cancelled = false;
    void Promise.all([api.invoke('nodes:history', { id, range }), api.invoke('nodes:lastCheck', { id }), api.invoke('nodes:get', { id })]).then(
      ([points, last, withHealth]) => {
        if (cancelled) return;
        setHistory(points);
        setProbes(last?.probes ?? []);
        setUptime(withHealth.uptime ?? null);
      },
      () => {},
    );
    return () => {
      cancelled = true;
    };
  }, [api, id, range, checkedAt]);
  useEffect(() => setConfirmDelete(false), [id]);

  if (!node) return null;
  const events = allEvents.filter((e) => e.node === node.id).slice(-30).reverse();
  const act = (fn: () => Promise<unknown>) => fn().then(() => setError(null), (e: Error) => setError(e.message));
  const mutedUntil = node.muted_until && Date.parse(node.muted_until) > Date.now() ? node.muted_until : null;

  return (
    <aside className="detail" aria-label={`Node ${node.id}`}>
      <div className="detail-head">
        <h2>{node.id}</h2>
        <button className="link" onClick={() => select(null)} aria-label="Close details">✕</button>
      </div>
      <p className="state-line" data-testid="detail-state">
        <span className="dot" style={{ background: stateColor(health.status) }} aria-hidden /> {STATE_LABEL[health.status]}
        {health.latency_ms !== null && ` · ${health.latency_ms.toFixed(1)} ms`} · checked {timeAgo(health.checked_at)}
      </p>
      {health.error && <p className="error">{health.error}</p>}
      <p className="uptime-line" data-testid="detail-uptime">
        <HeartbeatStrip recent={health.recent} uptime={health.uptime_24h} />
        {uptime && <span> · uptime 24 h {formatUptime(uptime.h24)} · 7 d {formatUptime(uptime.d7)} · 30 d {formatUptime(uptime.d30)}</span>}
      </p>
      <dl className="facts">
        <dt>Hostname</dt><dd>{node.hostname}</dd>
        <dt>IP</dt><dd className="mono">{node.tailscale_ip}</dd>
        <dt>Role</dt><dd>{node.role}</dd>
        <dt>CPU / memory</dt><dd>{node.cpu_cores} cores · {node.memory_gb} GB</dd>
        <dt>Tags</dt><dd>{node.tags.join(', ') || '—'}</dd>
        {node.description && (<><dt>Description</dt><dd>{node.description}</dd></>)}
      </dl>
      <h3>Probes</h3>
      <ul className="probes-list">
        {probes.length === 0 && <li className="muted">not checked yet</li>}
        {probes.map((p) => (
          <li key={p.target}>
            <span className="dot" style={{ background: stateColor(p.ok ? 'healthy' : 'unhealthy') }} aria-hidden /> <span className="mono">{p.target}</span>{' '}
            {p.ok ? `${p.latency_ms?.toFixed(1)} ms` : `${p.reason}: ${p.error}`}
          </li>
        ))}
      </ul>
      <h3>
        Latency{' '}
        <span className="segmented" role="group" aria-label="Range">
          <button aria-pressed={range === '1h'} onClick={() => setRange('1h')}>1 h</button>
          <button aria-pressed={range === '24h'} onClick={() => setRange('24h')}>24 h</button>
        </span>
      </h3>
      <LatencyChart points={history} />
      <div className="detail-actions">
        <label className="toggle">
          <input type="checkbox" checked={node.maintenance} onChange={(e) => act(() => api.invoke('nodes:update', { id: node.id, patch: { maintenance: e.target.checked } }))} />
          Maintenance
        </label>
        <label>
          Mute notifications{' '}
          <select value="" onChange={(e) => act(() => api.invoke('nodes:mute', { id: node.id, hours: Number(e.target.value) as 0 | 1 | 4 | 8 }))} aria-label="Mute notifications">
            <option value="" disabled>{mutedUntil ? `until ${new Date(mutedUntil).toLocaleTimeString()}` : 'choose…'}</option>
            <option value="1">for 1 h</option>
            <option value="4">for 4 h</option>
            <option value="8">for 8 h</option>
            {mutedUntil && <option value="0">unmute</option>}
          </select>
        </label>
        <button onClick={() => act(() => api.invoke('cluster:checkNow', { id: node.id }))}>Check now</button>
        <button onClick={onEdit}>Edit</button>
        <button onClick={() => onRun([node.id])}>Run command</button>
        {confirmDelete ? (
          <span className="confirm" role="alertdialog" aria-label="Confirm delete">
            Delete {node.id}?{' '}
            <button className="danger" onClick={() => act(() => api.invoke('nodes:remove', { id: node.id }))}>Yes, delete</button>{' '}
            <button onClick={() => setConfirmDelete(false)}>No</button>
          </span>
        ) : (
          <button className="danger" onClick={() => setConfirmDelete(true)}>Delete</button>
        )}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <NodeSshPanel id={node.id} keyPath={node.ssh?.key_path} />
      {node.docker?.enabled && <ContainersPanel id={node.id} />}
      <h3>Events</h3>
      <ol className="timeline">
        {events.length === 0 && <li className="muted">no events yet</li>}
        {events.map((e) => (
          <li key={e.seq}>
            <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time> {e.from} → <strong>{e.to}</strong> <span className="muted">{e.reason}</span>
          </li>
        ))}
      </ol>
    </aside>
  );
}
