import { useEffect, useRef, useState } from 'react';
import type { CommandResult } from '../../../shared/schemas/ssh';
import { useClusterStore } from '../store/cluster-store';

interface Pane {
  output: Array<{ stream: 'stdout' | 'stderr'; text: string }>;
  result: CommandResult | null;
}

/** Runs a command over SSH on the given nodes, with live output per node and progress. */
export function CommandDialog({ nodeIds, onClose }: { nodeIds: string[]; onClose(): void }) {
  const api = useClusterStore((s) => s.api)!;
  const [command, setCommand] = useState('uptime');
  const [timeout, setTimeoutS] = useState('30');
  const [runId, setRunId] = useState<string | null>(null);
  const [panes, setPanes] = useState<Record<string, Pane>>({});
  const [progress, setProgress] = useState({ done: 0, total: 0 });
  const [error, setError] = useState<string | null>(null);
  const runIdRef = useRef<string | null>(null);

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

  const run = async () => {
    const id = `ui-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    runIdRef.current = id;
    setRunId(id);
    setError(null);
    setPanes(Object.fromEntries(nodeIds.map((n) => [n, { output: [], result: null }])));
    setProgress({ done: 0, total: nodeIds.length });
    try {
      const response = await api.invoke('commands:run', { node_ids: nodeIds, command, timeout: Number(timeout), run_id: id });
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

  return (
    <div className="dialog-body command-dialog">
      <h2>Run a command on {nodeIds.length} node{nodeIds.length === 1 ? '' : 's'}</h2>
      <div className="field">
        <label htmlFor="cmd">Command</label>
        <input id="cmd" className="mono" value={command} onChange={(e) => setCommand(e.target.value)} disabled={runId !== null} />
      </div>
      <div className="field">
        <label htmlFor="cmd-timeout">Timeout (s)</label>
        <input id="cmd-timeout" value={timeout} onChange={(e) => setTimeoutS(e.target.value)} disabled={runId !== null} />
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {progress.total > 0 && <p aria-live="polite">{progress.done} of {progress.total} done</p>}
      <div className="panes">
        {Object.entries(panes).map(([id, pane]) => (
          <section key={id} className="pane" aria-label={`Output of ${id}`}>
            <header>
              <strong>{id}</strong>{' '}
              {pane.result ? (pane.result.exit_code === 0 ? '✓ rc=0' : pane.result.exit_code === null ? `✗ ${pane.result.error}` : `✗ rc=${pane.result.exit_code}`) : '…'}
              {pane.result && <span className="muted"> {pane.result.duration_ms} ms</span>}
            </header>
            <pre className="mono">{pane.output.map((o, i) => <span key={i} className={o.stream}>{o.text}</span>)}</pre>
          </section>
        ))}
      </div>
      <div className="buttons">
        <button onClick={onClose} disabled={runId !== null}>Close</button>
        {runId ? <button className="danger" onClick={() => api.invoke('commands:cancel', { run_id: runId })}>Cancel</button> : <button className="primary" onClick={run} disabled={!command.trim()}>Run</button>}
      </div>
    </div>
  );
}
