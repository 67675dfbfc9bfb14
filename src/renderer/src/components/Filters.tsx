import { HEALTH_STATES, NODE_ROLES } from '../../../shared/schemas/node';
import { useClusterStore } from '../store/cluster-store';

export function Filters({ shown, onRun }: { shown: number; onRun(): void }) {
  const filter = useClusterStore((s) => s.filter);
  const setFilter = useClusterStore((s) => s.setFilter);
  const total = useClusterStore((s) => s.order.length);
  return (
    <div className="filters" role="search">
      <label>
        Search
        <input type="search" placeholder="id, hostname, IP, tag…" value={filter.q ?? ''} onChange={(e) => setFilter({ q: e.target.value || undefined })} />
      </label>
      <label>
        Role
        <select value={filter.role ?? ''} onChange={(e) => setFilter({ role: (e.target.value || undefined) as never })}>
          <option value="">all</option>
          {NODE_ROLES.map((r) => <option key={r}>{r}</option>)}
        </select>
      </label>
      <label>
        State
        <select value={filter.status ?? ''} onChange={(e) => setFilter({ status: (e.target.value || undefined) as never })}>
          <option value="">all</option>
          {HEALTH_STATES.map((s) => <option key={s}>{s}</option>)}
        </select>
      </label>
      <label>
        Tag
        <input value={filter.tag ?? ''} onChange={(e) => setFilter({ tag: e.target.value.trim() || undefined })} placeholder="exact tag" />
      </label>
      <span className="muted" aria-live="polite">{shown} of {total} nodes</span>
      <button onClick={onRun} disabled={shown === 0} title="Run a command over SSH on the nodes shown">Run command on {shown}</button>
    </div>
  );
}
