import { useState } from 'react';
import { useClusterStore } from '../store/cluster-store';

/** What a new user sees with no nodes: every way to get a fleet in. */
export function EmptyState({ onAdd, onImport }: { onAdd(): void; onImport(source: 'file' | 'tailscale'): void }) {
  const api = useClusterStore((s) => s.api)!;
  const [error, setError] = useState<string | null>(null);
  return (
    <section className="empty" aria-label="Get started">
      <h2>No nodes yet</h2>
      <p>Add the machines you want to watch. Health checks start as soon as a node is registered.</p>
      <div className="choices">
        <button className="primary" onClick={onAdd}>Add a node</button>
        <button onClick={() => onImport('file')}>Import a nodes.json file</button>
        <button onClick={() => onImport('tailscale')} title="Paste the output of `tailscale status --json`">Import from Tailscale</button>
        <button onClick={() => api.invoke('demo:start', {}).catch((e: Error) => setError(e.message))}>Start the demo fleet</button>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
    </section>
  );
}
