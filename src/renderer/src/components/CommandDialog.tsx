import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandResult, CommandTarget } from '../../../shared/schemas/ssh';
import { useClusterStore } from '../store/cluster-store';
import { formatNumber } from '../i18n/format';
import { commandSelection } from './command-selection';

interface Pane {
  output: Array<{ stream: 'stdout' | 'stderr'; text: string }>;
  result: CommandResult | null;
}

/**
 * Runs a command over SSH, with live output per node and progress. Before anything runs it lists the
 * nodes and the SSH user for each; unhealthy and maintenance nodes are left out unless asked for, and
 * a run that includes masters asks once more.
 */
export function CommandDialog({ nodeIds, onClose }: { nodeIds: string[]; onClose(): void }) {
  const { t } = useTranslation();
  const api = useClusterStore((s) => s.api)!;
  const [command, setCommand] = useState('uptime');
  const [timeout, setTimeoutS] = useState('30');
  const [targets, setTargets] = useState<CommandTarget[] | null>(null);
  const [includeRisky, setIncludeRisky] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [runId, setRunId] = useState<string | null>(null);
  const [panes, setPanes] = useState<Record<string, Pane>>({});
  const [progress, setProgress] = useState({ done: 0, total: 0 });
  const [error, setError] = useState<string | null>(null);
  const runIdRef = useRef<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    api.invoke('commands:plan', { node_ids: nodeIds }).then(
      (plan) => !cancelled && setTargets(plan),
      (e: Error) => !cancelled && setError(e.message),
    );
    return () => {
      cancelled = true;
    };
  }, [api, nodeIds]);

  useEffect(
    () =>
      api.on('command', (event) => {
        if (event.run_id !== runIdRef.current) return;
        setPanes((current) => {
          const pane = current[event.node_id] ?? { output: [], result: null };
          if (event.type === 'output') return { ...current, [event.node_id]: { ...pane, output: [...pane.output, { stream: event.stream, text: event.chunk }] } };
          return { ...current, [event.node_id]: { ...pane, result: event.result } };
        });
        if (event.type === 'done') setProgress({ done: event.done, total: event.total });
      }),
    [api],
  );

  // States follow the pushed health while the dialog is open: a node that goes down is left out.
  const health = useClusterStore((s) => s.health);
  const nodes = useClusterStore((s) => s.nodes);
  const live = useMemo(
    () => (targets ?? []).map((t) => ({ ...t, state: health.get(t.node_id)?.status ?? t.state, maintenance: nodes.get(t.node_id)?.maintenance ?? t.maintenance })),
    [targets, health, nodes],
  );
  const selection = useMemo(() => commandSelection(live, includeRisky), [live, includeRisky]);
  const chosen = selection.included.map((target) => target.node_id);
  const leftOut = useMemo(() => new Set(selection.excluded.map((target) => target.node_id)), [selection]);

  const run = async () => {
    if (selection.masters.length > 0 && !confirming) return setConfirming(true);
    setConfirming(false);
    const id = `ui-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    runIdRef.current = id;
    setRunId(id);
    setError(null);
    setPanes(Object.fromEntries(chosen.map((n) => [n, { output: [], result: null }])));
    setProgress({ done: 0, total: chosen.length });
    try {
      const response = await api.invoke('commands:run', { node_ids: chosen, command, timeout: Number(timeout), run_id: id });
      setPanes((current) => {
        const next = { ...current };
        for (const result of response.results) next[result.node_id] = { output: next[result.node_id]?.output ?? [], result };
        return next;
      });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      runIdRef.current = null;
      setRunId(null);
    }
  };

  const started = Object.keys(panes).length > 0;
  const outcome = (result: CommandResult | null) =>
    !result ? '…' : result.exit_code === 0 ? t('command.ok') : result.exit_code === null ? t('command.failed', { error: result.error }) : t('command.exitCode', { code: result.exit_code });

  return (
    <div className="dialog-body command-dialog">
      <h2>{t('command.title', { count: chosen.length })}</h2>
      {targets === null && !error && <p className="muted">{t('common.loading')}</p>}
      {targets && (
        <div className="command-targets-scroll">
          <table className="command-targets" aria-label={t('command.targetsLabel')}>
            <thead>
              <tr>
                <th>{t('command.node')}</th>
                <th>{t('command.role')}</th>
                <th>{t('command.state')}</th>
                <th>{t('command.sshAs')}</th>
              </tr>
            </thead>
            <tbody>
              {live.map((target) => {
                const left = leftOut.has(target.node_id);
                return (
                  <tr key={target.node_id} data-target={target.node_id} className={left ? 'left-out' : undefined} aria-disabled={left || undefined}>
                    <td className="mono">{target.node_id}</td>
                    <td>{t(`role.${target.role}`)}</td>
                    <td>{target.maintenance ? t('state.maintenance') : t(`state.${target.state}`)}</td>
                    <td className="mono">
                      {target.user}@<wbr />{target.address}:{target.port}
                      {left && <span className="muted"> · {t('command.leftOut')}</span>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {selection.risky.length > 0 && (
        <label className="toggle">
          <input type="checkbox" checked={includeRisky} disabled={runId !== null} onChange={(e) => (setIncludeRisky(e.target.checked), setConfirming(false))} />
          {t('command.includeRisky', { count: selection.risky.length })}
        </label>
      )}
      <div className="field">
        <label htmlFor="cmd">{t('command.command')}</label>
        <input id="cmd" className="mono" value={command} onChange={(e) => setCommand(e.target.value)} disabled={runId !== null} />
      </div>
      <div className="field">
        <label htmlFor="cmd-timeout">{t('command.timeout')}</label>
        <input id="cmd-timeout" value={timeout} onChange={(e) => setTimeoutS(e.target.value)} disabled={runId !== null} />
      </div>
      {confirming && (
        <p className="confirm" role="alert">
          {t('command.confirmMasters', { count: selection.masters.length, nodes: selection.masters.map((m) => m.node_id).join(', ') })}
        </p>
      )}
      {error && <p className="error" role="alert">{error}</p>}
      {progress.total > 0 && <p aria-live="polite">{t('command.progress', { done: formatNumber(progress.done), total: formatNumber(progress.total) })}</p>}
      {started && (
        <div className="panes">
          {Object.entries(panes).map(([id, pane]) => (
            <section key={id} className="pane" aria-label={t('command.outputOf', { id })}>
              <header>
                <strong>{id}</strong> {outcome(pane.result)}
                {pane.result && <span className="muted"> {t('command.duration', { ms: formatNumber(pane.result.duration_ms) })}</span>}
              </header>
              <pre className="mono">{pane.output.map((o, i) => <span key={i} className={o.stream}>{o.text}</span>)}</pre>
            </section>
          ))}
        </div>
      )}
      <div className="buttons">
        <button onClick={onClose} disabled={runId !== null}>{t('common.close')}</button>
        {confirming && <button onClick={() => setConfirming(false)}>{t('command.back')}</button>}
        {runId ? (
          <button className="danger" onClick={() => api.invoke('commands:cancel', { run_id: runId }).catch((e: Error) => setError(e.message))}>{t('common.cancel')}</button>
        ) : (
          <button className="primary" onClick={run} disabled={!command.trim() || chosen.length === 0}>
            {confirming ? t('command.runOnMasters') : t('command.run')}
          </button>
        )}
      </div>
    </div>
  );
}
