import { useEffect, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { HistoryPoint, Uptime } from '../../../shared/schemas/health';
import type { ProbeResult } from '../../../shared/schemas/probe';
import { HEALTH_STATES, type HealthState } from '../../../shared/schemas/node';
import { UNKNOWN_HEALTH, useClusterStore } from '../store/cluster-store';
import { useGate } from '../store/scope-gate';
import { formatDateTime, formatNumber, formatPercent, formatSpan, formatTime } from '../i18n/format';
import { LatencyChart } from './LatencyChart';
import { NodeSshPanel } from './NodeSshPanel';
import { ContainersPanel } from './ContainersPanel';
import { NodeSilences } from './NodeSilences';
import { Ago } from './Ago';
import { eventReason, healthError, probeError } from '../i18n/event-reason';
import { useNow } from '../store/clock';
import { HeartbeatStrip } from './HeartbeatStrip';
import { VantageList } from './VantageList';
import { stateColor } from './state-colors';
import { maintenanceSince, mutedUntil, nodeSize } from './node-facts';

export function NodeDetail({ onEdit, onRun }: { onEdit(): void; onRun(ids: string[]): void }) {
  const { t } = useTranslation();
  const api = useClusterStore((s) => s.api)!;
  const gate = useGate();
  const id = useClusterStore((s) => s.selectedId);
  const node = useClusterStore((s) => (s.selectedId ? s.nodes.get(s.selectedId) : undefined));
  const health = useClusterStore((s) => (s.selectedId ? s.health.get(s.selectedId) : undefined)) ?? UNKNOWN_HEALTH;
  const allEvents = useClusterStore((s) => s.events);
  const select = useClusterStore((s) => s.select);
  const [range, setRange] = useState<'1h' | '24h'>('1h');
  // What was read, with the node and range it belongs to: another node's figures are never shown as this one's.
  const [loaded, setLoaded] = useState<{ id: string; range: '1h' | '24h'; history: HistoryPoint[]; probes: ProbeResult[]; uptime: Uptime | null } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const now = useNow();
  const checkedAt = health.checked_at;

  // Refreshed when this node's health is pushed (a new check), never on a timer.
  useEffect(() => {
    if (!id) return;
    let cancelled = false;
    void Promise.all([api.invoke('nodes:history', { id, range }), api.invoke('nodes:lastCheck', { id }), api.invoke('nodes:get', { id })]).then(
      ([points, last, withHealth]) => {
        if (!cancelled) setLoaded({ id, range, history: points, probes: last?.probes ?? [], uptime: withHealth.uptime ?? null });
      },
      () => {},
    );
    return () => {
      cancelled = true;
    };
  }, [api, id, range, checkedAt]);
  useEffect(() => setConfirmDelete(false), [id]);

  if (!node) return null;
  const mine = loaded?.id === node.id ? loaded : null;
  const history = mine?.history ?? [];
  const probes = mine?.probes ?? [];
  const uptime = mine?.uptime ?? null;
  const events = allEvents.filter((e) => e.node === node.id).slice(-30).reverse();
  const act = (fn: () => Promise<unknown>) => fn().then(() => setError(null), (e: Error) => setError(e.message));
  const mutedUntilNow = mutedUntil(node, now);
  const inMaintenance = node.maintenance || health.status === 'maintenance';
  const since = inMaintenance ? maintenanceSince(allEvents, node.id) : null;
  const size = nodeSize(node);
  const stateName = (s: string | null) => (s && (HEALTH_STATES as readonly string[]).includes(s) ? t(`state.${s as HealthState}`) : s);
  const pct = (v: number | null | undefined) => (v === null || v === undefined ? t('time.never') : formatPercent(v));
  // A window not yet full says what it covers ("57.1 % over 3 min"), not a 24 h, 7 d or 30 d it has not seen.
  const uptimeText = (u: Uptime): string => {
    const values = { h24: pct(u.h24), d7: pct(u.d7), d30: pct(u.d30) };
    if (u.h24_span_s && u.h24_span_s < 86_400) return t('detail.uptimeOver', { pct: values.h24, span: formatSpan(u.h24_span_s) });
    if (u.d7_span_s && u.d7_span_s < 7 * 86_400) return t('detail.uptimeOverWeek', { ...values, span: formatSpan(u.d7_span_s) });
    if (u.d30_span_s && u.d30_span_s < 30 * 86_400) return t('detail.uptimeOverMonth', { ...values, span: formatSpan(u.d30_span_s) });
    return t('detail.uptime', values);
  };

  return (
    <aside className="detail" aria-label={t('detail.label', { id: node.id })}>
      <div className="detail-head">
        <h2>{node.id}</h2>
        <button className="link" onClick={() => select(null)} aria-label={t('detail.close')}>✕</button>
      </div>
      {inMaintenance ? (
        // Old latency and probe results are not the node's state now: maintenance says only since when.
        <p className="state-line" data-testid="detail-state">
          <span className="dot" style={{ background: stateColor('maintenance') }} aria-hidden /> {since ? t('detail.maintenanceSince', { time: formatDateTime(since) }) : t('detail.maintenance')}
        </p>
      ) : (
        <>
          <p className="state-line" data-testid="detail-state">
            <span className="dot" style={{ background: stateColor(health.status) }} aria-hidden /> {t(`state.${health.status}`)}
            {health.latency_ms !== null && ` · ${t('detail.latency', { ms: formatNumber(health.latency_ms, 1) })}`} ·{' '}
            {health.checked_at ? <Trans i18nKey="detail.checkedAgo" components={{ ago: <Ago iso={health.checked_at} empty="" testId="detail-checked" /> }} /> : t('detail.notChecked')}
          </p>
          {/* With peers this error is one monitor's view among several: the list of views below shows it beside the others. */}
          {health.error && !health.vantage && <p className="error">{healthError(health)}</p>}
          <p className="uptime-line" data-testid="detail-uptime">
            <HeartbeatStrip recent={health.recent} uptime={health.uptime_24h} />
            {uptime && <span> · {uptimeText(uptime)}</span>}
          </p>
          <VantageList health={health} />
        </>
      )}
      <dl className="facts" data-testid="detail-facts">
        <dt>{t('form.hostname')}</dt><dd>{node.hostname}</dd>
        <dt>{t('detail.address')}</dt><dd className="mono">{node.tailscale_ip}</dd>
        <dt>{t('form.role')}</dt><dd>{t(`role.${node.role}`)}</dd>
        <dt>{t('detail.size')}</dt>
        <dd data-testid="detail-size">
          {size.cpu_cores === null && size.memory_gb === null ? (
            <span className="muted">{t('detail.sizeUnknown')}</span>
          ) : (
            [
              size.cpu_cores === null ? t('detail.unknown') : t('detail.cores', { count: size.cpu_cores }),
              size.memory_gb === null ? t('detail.unknown') : t('detail.memory', { gb: formatNumber(size.memory_gb, size.memory_gb % 1 ? 1 : 0) }),
            ].join(' · ')
          )}
        </dd>
        <dt>{t('form.tags')}</dt><dd>{node.tags.join(', ') || t('time.never')}</dd>
        {node.description && (<><dt>{t('form.description')}</dt><dd>{node.description}</dd></>)}
        {node.os && (<><dt>{t('detail.os')}</dt><dd>{node.os}</dd></>)}
        {node.dns_name && (<><dt>{t('detail.dnsName')}</dt><dd className="mono">{node.dns_name}</dd></>)}
        {node.tailscale_online !== undefined && (
          <>
            <dt>{t('detail.tailscale')}</dt>
            <dd data-testid="detail-tailscale">
              {node.tailscale_online ? t('tailscale.online') : t('tailscale.offline')}
              {node.tailscale_last_seen && ` · ${t('detail.lastSeen', { time: formatDateTime(node.tailscale_last_seen) })}`}
            </dd>
          </>
        )}
      </dl>
      {!inMaintenance && (
        <>
          <h3>{t('detail.probes')}</h3>
          <ul className="probes-list">
            {probes.length === 0 && <li className="muted">{t('detail.notChecked')}</li>}
            {probes.map((p) => (
              <li key={p.target}>
                <span className="dot" style={{ background: stateColor(p.ok ? 'healthy' : 'unhealthy') }} aria-hidden /> <span className="mono">{p.target}</span>{' '}
                {p.ok ? t('detail.latency', { ms: formatNumber(p.latency_ms ?? 0, 1) }) : t('detail.probeFailed', { reason: p.reason, error: probeError(p) })}
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>
        {t('detail.latencyHeading')}{' '}
        <span className="segmented" role="group" aria-label={t('detail.range')}>
          <button aria-pressed={range === '1h'} onClick={() => setRange('1h')}>{t('detail.range1h')}</button>
          <button aria-pressed={range === '24h'} onClick={() => setRange('24h')}>{t('detail.range24h')}</button>
        </span>
      </h3>
      {/* The range shown, and busy until the chosen range's figures arrive. */}
      <div className="chart-box" data-range={mine?.range} aria-busy={mine?.range !== range}>
        <LatencyChart points={history} />
      </div>
      <div className="detail-actions">
        <label className="toggle">
          <input type="checkbox" checked={node.maintenance} {...gate('nodes:maintenance')} onChange={(e) => act(() => api.invoke('nodes:maintenance', { id: node.id, maintenance: e.target.checked }))} />
          {t('detail.maintenanceToggle')}
        </label>
        <label>
          {t('detail.mute')}{' '}
          <select value="" {...gate('nodes:mute')} onChange={(e) => act(() => api.invoke('nodes:mute', { id: node.id, hours: Number(e.target.value) as 0 | 1 | 4 | 8 }))} aria-label={t('detail.mute')}>
            <option value="" disabled>{mutedUntilNow ? t('detail.mutedUntil', { time: formatTime(mutedUntilNow) }) : t('detail.choose')}</option>
            <option value="1">{t('detail.muteFor', { hours: 1 })}</option>
            <option value="4">{t('detail.muteFor', { hours: 4 })}</option>
            <option value="8">{t('detail.muteFor', { hours: 8 })}</option>
            {mutedUntilNow && <option value="0">{t('detail.unmute')}</option>}
          </select>
        </label>
        <button {...gate('cluster:checkNow')} onClick={() => act(() => api.invoke('cluster:checkNow', { id: node.id }))}>{t('detail.checkNow')}</button>
        <button {...gate('nodes:update')} onClick={onEdit}>{t('common.edit')}</button>
        <button {...gate('commands:run')} onClick={() => onRun([node.id])}>{t('detail.runCommand')}</button>
        {confirmDelete ? (
          <span className="confirm" role="alertdialog" aria-label={t('detail.confirmDelete')}>
            {t('detail.deleteQuestion', { id: node.id })}{' '}
            <button className="danger" onClick={() => act(() => api.invoke('nodes:remove', { id: node.id }))}>{t('detail.yesDelete')}</button>{' '}
            <button onClick={() => setConfirmDelete(false)}>{t('detail.no')}</button>
          </span>
        ) : (
          <button className="danger" {...gate('nodes:remove')} onClick={() => setConfirmDelete(true)}>{t('common.delete')}</button>
        )}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <NodeSilences id={node.id} mutedUntil={node.muted_until ?? null} />
      <NodeSshPanel id={node.id} keyPath={node.ssh?.key_path} />
      {node.docker?.enabled && <ContainersPanel id={node.id} />}
      <h3>{t('detail.events')}</h3>
      <ol className="timeline">
        {events.length === 0 && <li className="muted">{t('detail.noEvents')}</li>}
        {events.map((e) => (
          <li key={e.seq}>
            <time dateTime={e.at}>{formatDateTime(e.at)}</time> {stateName(e.from)} → <strong>{stateName(e.to)}</strong> <span className="muted">{eventReason(e)}</span>
          </li>
        ))}
      </ol>
    </aside>
  );
}
