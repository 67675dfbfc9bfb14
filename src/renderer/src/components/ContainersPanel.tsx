import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Container, ContainerAction, ContainerLogs, ContainerStats, SwarmNode } from '../../../shared/schemas/containers';
import { useClusterStore } from '../store/cluster-store';
import { useGate } from '../store/scope-gate';
import { formatNumber } from '../i18n/format';
import { stateColor } from './state-colors';
import { containerHealthLabel, containerStateLabel } from '../i18n/enum-labels';

const STATS_EVERY_MS = 5000;
const LOGS_EVERY_MS = 2000;
const MAX_STATS = 12; // one stats read takes Docker about a second: only the first running ones
const mib = (bytes: number) => formatNumber(bytes / 1024 ** 2, 1);

/** The node's Docker containers with live CPU and memory, actions, logs, and its place in Swarm. */
export function ContainersPanel({ id }: { id: string }) {
  const { t } = useTranslation();
  const api = useClusterStore((s) => s.api)!;
  const gate = useGate();
  const [containers, setContainers] = useState<Container[] | null>(null);
  const [stats, setStats] = useState<Map<string, ContainerStats>>(new Map());
  const [swarm, setSwarm] = useState<SwarmNode | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [logsOf, setLogsOf] = useState<string | null>(null);
  const [logs, setLogs] = useState<ContainerLogs | null>(null);
  const [follow, setFollow] = useState(false);
  /** Drain moves every task off the node: asked once more, as the MCP tool is (destructive). */
  const [askDrain, setAskDrain] = useState(false);
  const logBox = useRef<HTMLPreElement>(null);
  // The newest line is the one that matters: keep the log scrolled to the end.
  useEffect(() => {
    if (logBox.current) logBox.current.scrollTop = logBox.current.scrollHeight;
  }, [logs]);

  const load = useCallback(async () => {
    try {
      const list = await api.invoke('containers:list', { id });
      setContainers(list.containers);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
      setContainers(null);
    }
    // Swarm is optional: a node outside a swarm simply shows no Swarm line.
    api.invoke('swarm:view', {}).then((view) => setSwarm(view.nodes.find((n) => n.node_id === id) ?? null), () => setSwarm(null));
  }, [api, id]);

  useEffect(() => {
    setContainers(null);
    setStats(new Map());
    setLogsOf(null);
    void load();
  }, [load]);

  // Stats stream while the panel is open.
  useEffect(() => {
    const running = (containers ?? []).filter((c) => c.state === 'running').slice(0, MAX_STATS);
    if (running.length === 0) return;
    let stopped = false;
    const read = () =>
      Promise.all(running.map((c) => api.invoke('containers:stats', { id, container_id: c.id }).catch(() => null))).then((all) => {
        if (!stopped) setStats(new Map(all.filter((s): s is ContainerStats => s !== null).map((s) => [s.id, s])));
      });
    void read();
    const timer = setInterval(read, STATS_EVERY_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [api, id, containers]);

  useEffect(() => {
    if (!logsOf) return;
    let stopped = false;
    const read = () => api.invoke('containers:logs', { id, container_id: logsOf, tail: 200 }).then((l) => !stopped && setLogs(l), (e: Error) => !stopped && setError(e.message));
    void read();
    const timer = follow ? setInterval(read, LOGS_EVERY_MS) : undefined;
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [api, id, logsOf, follow]);

  /** One action at a time; the list is read again after it, and an error shows under the title. */
  const run = async (key: string, action: () => Promise<unknown>) => {
    setBusy(key);
    try {
      await action();
      await load();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };
  const act = (container: Container, action: ContainerAction) => run(`${container.id}:${action}`, () => api.invoke('containers:action', { id, container_id: container.id, action }));
  const setAvailability = (availability: 'drain' | 'active') => run(`swarm:${availability}`, () => api.invoke('swarm:setAvailability', { id, availability }));

  return (
    <section className="containers" aria-label={t('containers.title')} data-testid="containers-panel">
      <h3>
        {t('containers.title')} <button onClick={() => void load()}>{t('containers.refresh')}</button>
      </h3>
      {swarm && (
        <p className="swarm-line" data-testid="swarm-line">
          {t('containers.swarmLine', { role: t(`containers.role.${swarm.role}`), availability: t(`containers.availability.${swarm.availability}`), tasks: swarm.running_tasks })}{' '}
          {swarm.availability === 'drain' ? (
            <button {...gate('swarm:setAvailability', busy !== null)} onClick={() => void setAvailability('active')}>{t('containers.activate')}</button>
          ) : (
            askDrain ? (
              <span className="confirm" role="alertdialog" aria-label={t('containers.drain')} data-testid="drain-confirm">
                {t('containers.drainQuestion', { id, count: swarm.running_tasks })}{' '}
                <button className="danger" {...gate('swarm:setAvailability', busy !== null)} onClick={() => { setAskDrain(false); void setAvailability('drain'); }}>{t('containers.drain')}</button>{' '}
                <button onClick={() => setAskDrain(false)}>{t('containers.keepActive')}</button>
              </span>
            ) : (
              <button {...gate('swarm:setAvailability', busy !== null)} onClick={() => setAskDrain(true)}>{t('containers.drain')}</button>
            )
          )}
        </p>
      )}
      {error && <p className="error" role="alert">{error}</p>}
      {containers === null && !error && <p className="muted">{t('common.loading')}</p>}
      {containers?.length === 0 && <p className="muted">{t('containers.none')}</p>}
      {containers && containers.length > 0 && (
        <table className="containers-table">
          <thead>
            <tr>
              <th>{t('containers.name')}</th>
              <th>{t('containers.state')}</th>
              <th>{t('containers.cpu')}</th>
              <th>{t('containers.memory')}</th>
            </tr>
          </thead>
          <tbody>
            {containers.map((c) => {
              const s = stats.get(c.id);
              return (
                <tr key={c.id} data-container={c.name}>
                  <td className="container-name" title={`${c.name}\n${c.image}\n${c.id}`}>
                    <span className="mono">{c.name}</span>
                    {c.service && <span className="muted"> · {c.service}</span>}
                    <div className="row-actions">
                      {c.state === 'running' ? (
                        <>
                          <button {...gate('containers:action', busy !== null)} onClick={() => void act(c, 'restart')}>{t('containers.restart')}</button>
                          <button {...gate('containers:action', busy !== null)} onClick={() => void act(c, 'stop')}>{t('containers.stop')}</button>
                        </>
                      ) : (
                        <button {...gate('containers:action', busy !== null)} onClick={() => void act(c, 'start')}>{t('containers.start')}</button>
                      )}
                      <button aria-pressed={logsOf === c.id} onClick={() => setLogsOf(logsOf === c.id ? null : c.id)}>{t('containers.logs')}</button>
                    </div>
                  </td>
                  <td title={c.status}>
                    <span className="dot" style={{ background: stateColor(c.state === 'running' ? (c.health === 'unhealthy' ? 'unhealthy' : 'healthy') : 'unknown') }} aria-hidden /> {containerStateLabel(c.state)}
                    {c.health && <span className="muted"> ({containerHealthLabel(c.health)})</span>}
                  </td>
                  <td className="num">{s ? `${formatNumber(s.cpu_percent, 1)} %` : '—'}</td>
                  <td className="num">{s ? t('containers.mib', { value: mib(s.memory_bytes) }) : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {logsOf && logs && (
        <div className="container-logs">
          <label className="toggle">
            <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> {t('containers.follow')}
          </label>
          <pre data-testid="container-logs" ref={logBox}>
            {logs.lines.length === 0 && <span className="muted">{t('services.noLogs')}</span>}
            {logs.lines.map((l, i) => (
              <span key={i} className={l.stream === 'stderr' ? 'stderr' : undefined}>
                {l.text}
                {'\n'}
              </span>
            ))}
          </pre>
        </div>
      )}
    </section>
  );
}
