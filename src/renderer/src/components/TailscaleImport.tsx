import { useState } from 'react';
import type { TailscaleImportReport } from '../../../shared/schemas/tailscale';
import { useClusterStore } from '../store/cluster-store';

/** Paste `tailscale status --json` (or read the local CLI), preview the diff, then apply it. */
export function TailscaleImport({ onDone }: { onDone(): void }) {
  const api = useClusterStore((s) => s.api)!;
  const [text, setText] = useState('');
  const [includeNonLinux, setIncludeNonLinux] = useState(false);
  const [report, setReport] = useState<TailscaleImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async (dryRun: boolean, fromCli = false) => {
    setError(null);
    let document: unknown;
    if (!fromCli) {
      try {
        document = JSON.parse(text);
      } catch (e) {
        return setError(`Not valid JSON: ${(e as Error).message}`);
      }
    }
    try {
      const result = await api.invoke('tailscale:import', { document, options: { dry_run: dryRun, include_non_linux: includeNonLinux } });
      setReport(result);
      if (!dryRun) onDone();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <div className="tailscale-import">
      <label>
        Output of <code>tailscale status --json</code>
        <textarea rows={8} value={text} onChange={(e) => { setText(e.target.value); setReport(null); }} aria-label="tailscale status JSON" />
      </label>
      <label className="toggle"><input type="checkbox" checked={includeNonLinux} onChange={(e) => setIncludeNonLinux(e.target.checked)} /> Include non-Linux machines</label>
      {error && <p className="error" role="alert">{error}</p>}
      {report && (
        <div className="report" data-testid="tailscale-report">
          <p>Added {report.added.length} · updated {report.updated.length} · unchanged {report.unchanged.length} · skipped {report.skipped.length}</p>
          <ul>
            {report.added.map((a) => <li key={a.id}>+ {a.id} ({a.tailscale_ip})</li>)}
            {report.updated.map((u) => <li key={u.id}>~ {u.id}: {u.changes.join(', ')}</li>)}
            {report.skipped.map((s) => <li key={s.hostname} className="muted">skipped {s.hostname}: {s.detail}</li>)}
          </ul>
        </div>
      )}
      <div className="buttons">
        <button type="button" onClick={() => run(true, true)}>Read from this machine's tailscale</button>
        <button type="button" onClick={() => run(true)} disabled={!text}>Preview</button>
        <button type="button" className="primary" disabled={!report || (report.added.length + report.updated.length === 0)} onClick={() => run(false, !text)}>Apply</button>
      </div>
    </div>
  );
}
