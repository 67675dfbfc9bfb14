import { useState } from 'react';
import type { ImportReport } from '../../../shared/schemas/seed-format';
import { useClusterStore } from '../store/cluster-store';
import { TailscaleImport } from './TailscaleImport';

/** Seed-format import with a report shown before anything is applied, and export. */
export function ImportDialog({ onClose, initialSource = 'file' }: { onClose(): void; initialSource?: 'file' | 'tailscale' }) {
  const [source, setSource] = useState(initialSource);
  const api = useClusterStore((s) => s.api)!;
  const [text, setText] = useState('');
  const [report, setReport] = useState<ImportReport | null>(null);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const parse = (): unknown => {
    try {
      return JSON.parse(text);
    } catch (e) {
      setError(`The file is not valid JSON: ${(e as Error).message}`);
      return undefined;
    }
  };
  const run = async (dryRun: boolean) => {
    setError(null);
    const document = parse();
    if (document === undefined) return;
    try {
      const result = await api.invoke('registry:import', { document, options: { dry_run: dryRun, skip_invalid: skipInvalid } });
      setReport(result);
      if (!dryRun && result.applied) onClose();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const exportFile = async () => {
    const document = await api.invoke('registry:export', {});
    const blob = new Blob([JSON.stringify(document, null, 2)], { type: 'application/json' });
    const link = Object.assign(window.document.createElement('a'), { href: URL.createObjectURL(blob), download: 'nodes.json' });
    link.click();
    URL.revokeObjectURL(link.href);
  };

  return (
    <div className="dialog-body">
      <h2>Import / export</h2>
      <div className="segmented" role="group" aria-label="Source">
        <button aria-pressed={source === 'file'} onClick={() => setSource('file')}>nodes.json</button>
        <button aria-pressed={source === 'tailscale'} onClick={() => setSource('tailscale')}>Tailscale</button>
      </div>
      {source === 'tailscale' ? (
        <>
          <TailscaleImport onDone={onClose} />
          <div className="buttons"><button type="button" onClick={onClose}>Close</button></div>
        </>
      ) : (
      <>
      <p>Seed-format <code>nodes.json</code>: <code>{'{"nodes": {"node-01": {...}}}'}</code></p>
      <label>
        File <input type="file" accept="application/json,.json" onChange={async (e) => setText((await e.target.files?.[0]?.text()) ?? '')} />
      </label>
      <label>
        Or paste
        <textarea rows={8} value={text} onChange={(e) => { setText(e.target.value); setReport(null); }} aria-label="nodes.json contents" />
      </label>
      <label className="toggle"><input type="checkbox" checked={skipInvalid} onChange={(e) => setSkipInvalid(e.target.checked)} /> Skip invalid nodes</label>
      {error && <p className="error" role="alert">{error}</p>}
      {report && (
        <div className="report" data-testid="import-report">
          <p>Added {report.added.length} · updated {report.updated.length} · unchanged {report.unchanged.length} · invalid {report.invalid.length}</p>
          {report.invalid.length > 0 && (
            <ul>{report.invalid.map((i, k) => <li key={k} className="error">{i.id} — {i.field}: {i.reason}</li>)}</ul>
          )}
        </div>
      )}
      <div className="buttons">
        <button type="button" onClick={exportFile}>Export nodes.json</button>
        <button type="button" onClick={onClose}>Close</button>
        <button type="button" onClick={() => run(true)} disabled={!text}>Preview</button>
        <button type="button" className="primary" disabled={!report || (report.invalid.length > 0 && !skipInvalid)} onClick={() => run(false)}>Apply</button>
      </div>
      </>
      )}
    </div>
  );
}
