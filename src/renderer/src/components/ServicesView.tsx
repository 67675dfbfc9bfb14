import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PlanNodes } from './PlanView';
import type { NodeAllocation, ServiceList, ServiceView, WorkloadLogs } from '../../../shared/schemas/workloads';
import { ApiError } from '../../../shared/bridge-client';
import { useClusterStore } from '../store/cluster-store';
import { useGate } from '../store/scope-gate';
import { formatNumber } from '../i18n/format';
import { Modal } from './Modal';
import { stateColor } from './state-colors';

const REFRESH_MS = 5000;

/** The node to offer Docker on: a master first (Swarm managers are usually the masters), else the first node. */
function dockerCandidate(nodes: Map<string, { id: string; role: string }>): string | undefined {
  const all = [...nodes.values()];
  return (all.find((n) => n.role === 'master') ?? all[0])?.id;
}

/** Deploy, disabled with the reason while no Swarm manager answers (it would fail only on submit). */
function DeployButton({ blockedBy, onDeploy }: { blockedBy: string | null; onDeploy(): void }) {
  const { t } = useTranslation();
  const scope = useGate()('services:deploy');
  const title = scope.title ?? (blockedBy ? t('services.deployBlocked', { reason: blockedBy }) : undefined);
  return <button disabled={scope.disabled || blockedBy !== null} title={title} data-testid="deploy" onClick={onDeploy}>{t('services.deploy')}</button>;
}

/** Services and jobs on Swarm (and standalone containers): replicas, pending reasons, update state, allocation, actions. */
export function ServicesView({ onDeploy, onEnableDocker, refreshKey }: { onDeploy(): void; onEnableDocker(nodeId: string): void; refreshKey: number }) {
  const { t } = useTranslation();
  const api = useClusterStore((s) => s.api)!;
  const gate = useGate();
  const [list, setList] = useState<ServiceList | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** No node has Docker on: a way to start, not an error. */
  const [noDocker, setNoDocker] = useState(false);
  const nodes = useClusterStore((s) => s.nodes);
  const candidate = noDocker ? dockerCandidate(nodes) : undefined;
  const [actionError, setActionError] = useState<string | null>(null);
  const [openName, setOpenName] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [removing, setRemoving] = useState<ServiceView | null>(null);
  const [logs, setLogs] = useState<WorkloadLogs | null>(null);

  const load = useCallback(async () => {
    try {
      setList(await api.invoke('services:list', {}));
      setError(null);
      setNoDocker(false);
    } catch (e) {
      setList(null);
      setError((e as Error).message);
      setNoDocker(e instanceof ApiError && e.payload.details.some((d) => d.field === 'docker.enabled'));
    }
  }, [api]);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load, refreshKey]);

  /** One action at a time; the list is read again after it, and a failure shows above the table. */
  const run = async (key: string, action: () => Promise<unknown>) => {
    setBusy(key);
    setActionError(null);
    try {
      await action();
      await load();
    } catch (e) {
      setActionError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };

  return (
    <main className="services-view" aria-label={t('services.title')} data-testid="services-view">
      <div className="services-head">
        <h2>{t('services.title')}</h2>
        <DeployButton blockedBy={list ? null : noDocker ? t('services.noDocker') : error} onDeploy={onDeploy} />
        <button onClick={() => void load()}>{t('containers.refresh')}</button>
        {list?.manager_node_id && <span className="muted">{t('services.via', { node: list.manager_node_id })}</span>}
      </div>
      {noDocker ? (
        <div className="no-docker" data-testid="no-docker">
          <p>{t('services.noDocker')}</p>
          {candidate && <button className="primary" {...gate('nodes:update')} onClick={() => onEnableDocker(candidate)}>{t('services.enableDocker', { node: candidate })}</button>}
        </div>
      ) : (
        error && <p className="error" role="alert" data-testid="services-error">{error}</p>
      )}
      {actionError && <p className="error" role="alert">{actionError}</p>}
      {!list && !error && <p className="muted">{t('common.loading')}</p>}
      {list && list.allocation.length > 0 && <AllocationTable allocation={list.allocation} />}
      {list && list.services.length === 0 && <p className="muted">{t('services.none')}</p>}
      {list && list.services.length > 0 && (
        <table className="services-table">
          <thead>
            <tr>
              <th>{t('services.name')}</th>
              <th>{t('services.mode')}</th>
              <th>{t('services.replicas')}</th>
              <th>{t('services.update')}</th>
              <th>{t('services.reserved')}</th>
            </tr>
          </thead>
          <tbody>
            {list.services.map((s) => (
              <ServiceRow key={s.id} service={s} open={openName === s.name} busy={busy} onToggle={() => setOpenName(openName === s.name ? null : s.name)} run={run}
                onRemove={() => setRemoving(s)} onLogs={() => void run(`${s.name}:logs`, async () => setLogs(await api.invoke('services:logs', { name: s.name, tail: 200 })))} />
            ))}
          </tbody>
        </table>
      )}
      {removing && (
        <Modal onClose={() => setRemoving(null)}>
          <div className="dialog-body">
            <h2>{t('services.removeTitle', { name: removing.name })}</h2>
            <p data-testid="remove-impact">{t('services.removeImpact', { count: removing.tasks.filter((x) => x.desired_state !== 'shutdown').length, nodes: [...new Set(removing.tasks.map((x) => x.node_id ?? x.swarm_node).filter(Boolean))].join(', ') || '—' })}</p>
            <div className="buttons">
              <button onClick={() => setRemoving(null)}>{t('common.cancel')}</button>
              <button className="danger" onClick={() => { const name = removing.name; setRemoving(null); void run(`${name}:remove`, () => api.invoke('services:remove', { name })); }}>{t('services.remove')}</button>
            </div>
          </div>
        </Modal>
      )}
      {logs && (
        <Modal onClose={() => setLogs(null)}>
          <div className="dialog-body">
            <h2>{t('services.logsTitle', { name: logs.name })}</h2>
            <pre className="service-logs" data-testid="service-logs">
              {logs.lines.length === 0 ? t('services.noLogs') : logs.lines.map((l, i) => (
                <span key={i} className={l.stream === 'stderr' ? 'stderr' : undefined}>
                  <span className="muted">{l.node_id ?? '?'} </span>{l.text}{'\n'}
                </span>
              ))}
            </pre>
            <div className="buttons"><button onClick={() => setLogs(null)}>{t('common.close')}</button></div>
          </div>
        </Modal>
      )}
    </main>
  );
}

function ServiceRow({ service: s, open, busy, onToggle, run, onRemove, onLogs }: {
  service: ServiceView; open: boolean; busy: string | null; onToggle(): void; run(key: string, action: () => Promise<unknown>): Promise<void>; onRemove(): void; onLogs(): void;
}) {
  const { t } = useTranslation();
  const api = useClusterStore((st) => st.api)!;
  const gate = useGate();
  const [replicas, setReplicas] = useState(String(s.desired));
  const [image, setImage] = useState(s.image);
  const healthy = s.running >= s.desired && s.pending === 0;
  const reserved = [s.reservations.cpus !== undefined ? t('services.cpuValue', { value: formatNumber(s.reservations.cpus, 2) }) : null, s.reservations.memory_mb !== undefined ? t('services.mbValue', { value: formatNumber(s.reservations.memory_mb) }) : null].filter(Boolean).join(' · ');
  return (
    <>
      <tr data-service={s.name}>
        <td>
          <button className="link" aria-expanded={open} onClick={onToggle}><span className="mono">{s.name}</span></button>
          <div className="muted mono">{s.image}</div>
        </td>
        <td data-label={t('services.mode')}>{t(`services.modes.${s.mode}`)}</td>
        <td data-testid="replicas">
          <span className="dot" style={{ background: stateColor(healthy ? 'healthy' : s.running > 0 ? 'degraded' : 'unhealthy') }} aria-hidden /> {t('services.replicaCount', { running: s.running, desired: s.desired })}
          {s.pending > 0 && <p className="pending-reason" data-testid="pending-reason">{t('services.pending', { count: s.pending, reason: s.pending_reason?.swarm ?? t('services.noReason') })}</p>}
          {s.pending > 0 && (s.pending_reason?.nodes.length ?? 0) > 0 && (
            <details className="pending-nodes" data-testid="pending-nodes" open>
              <summary>{t('plan.pendingWhy')}</summary>
              <PlanNodes nodes={s.pending_reason!.nodes.filter((n) => n.reasons.length > 0 || n.warnings.length > 0)} showFits={false} />
            </details>
          )}
        </td>
        <td data-testid="update-state" data-label={t('services.update')}>
          {s.update ? t(`services.updateStates.${s.update.state}`) : '—'}
          {s.update?.cause && <p className="muted">{t('services.cause', { cause: s.update.cause })}</p>}
        </td>
        <td data-label={t('services.reserved')}>{reserved || '—'}</td>
      </tr>
      {open && (
        <tr className="service-detail">
          <td colSpan={5}>
            <div className="row-actions">
              {s.mode === 'replicated' && (
                <form onSubmit={(e) => { e.preventDefault(); void run(`${s.name}:scale`, () => api.invoke('services:change', { name: s.name, patch: { replicas: Number(replicas) } })); }}>
                  <label>{t('services.replicas')} <input aria-label={t('services.scaleTo')} inputMode="numeric" size={4} value={replicas} onChange={(e) => setReplicas(e.target.value)} /></label>
                  <button {...gate('services:change', busy !== null)}>{t('services.scale')}</button>
                </form>
              )}
              {s.mode !== 'standalone' && s.mode !== 'job' && (
                <form onSubmit={(e) => { e.preventDefault(); void run(`${s.name}:update`, () => api.invoke('services:change', { name: s.name, patch: { image } })); }}>
                  <label>{t('services.image')} <input aria-label={t('services.newImage')} value={image} onChange={(e) => setImage(e.target.value)} /></label>
                  <button {...gate('services:change', busy !== null || image === s.image)}>{t('services.updateImage')}</button>
                </form>
              )}
              {s.mode !== 'standalone' && s.mode !== 'job' && <button {...gate('services:rollback', busy !== null)} onClick={() => void run(`${s.name}:rollback`, () => api.invoke('services:rollback', { name: s.name }))}>{t('services.rollback')}</button>}
              <button disabled={busy !== null} onClick={onLogs}>{t('containers.logs')}</button>
              <button className="danger" {...gate('services:remove', busy !== null)} onClick={onRemove}>{t('services.remove')}</button>
            </div>
            <table className="tasks-table">
              <thead><tr><th>{t('services.node')}</th><th>{t('services.taskState')}</th><th>{t('services.error')}</th></tr></thead>
              <tbody>
                {s.tasks.map((task) => (
                  <tr key={task.id} data-task-state={task.state}>
                    <td className="mono">{task.node_id ?? task.swarm_node ?? t('services.unplaced')}</td>
                    <td>{task.state}{task.exit_code !== null && task.state !== 'running' ? ` (${task.exit_code})` : ''}</td>
                    <td className={task.error ? 'error' : 'muted'}>{task.error ?? task.message ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </td>
        </tr>
      )}
    </>
  );
}

function AllocationTable({ allocation }: { allocation: NodeAllocation[] }) {
  const { t } = useTranslation();
  const bar = (used: number, total: number) => (
    <span className="alloc-bar" aria-hidden><span style={{ width: `${total > 0 ? Math.min(100, (used / total) * 100) : 0}%` }} /></span>
  );
  return (
    <details className="allocation" open>
      <summary>{t('services.allocation')}</summary>
      <table className="allocation-table" data-testid="allocation">
        <thead><tr><th>{t('services.node')}</th><th>{t('services.cpus')}</th><th>{t('services.memory')}</th><th>{t('services.running')}</th></tr></thead>
        <tbody>
          {allocation.map((a) => (
            <tr key={a.node_id} data-node={a.node_id}>
              <td className="mono">{a.node_id}</td>
              <td>{bar(a.reserved.cpus, a.capacity.cpus)} {t('services.ofCapacity', { used: formatNumber(a.reserved.cpus, 2), total: formatNumber(a.capacity.cpus, 2), free: formatNumber(a.free.cpus, 2) })}</td>
              <td>{bar(a.reserved.memory_mb, a.capacity.memory_mb)} {t('services.ofCapacityMb', { used: formatNumber(a.reserved.memory_mb), total: formatNumber(a.capacity.memory_mb), free: formatNumber(a.free.memory_mb) })}</td>
              <td className="num">{formatNumber(a.running)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
