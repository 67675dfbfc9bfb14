import { memo, useRef, type KeyboardEvent } from 'react';
import type { NodeHealth } from '../../../shared/schemas/health';
import type { Node } from '../../../shared/schemas/node';
import { useVirtualizer } from '@tanstack/react-virtual';
import { UNKNOWN_HEALTH, useClusterStore, type SortKey } from '../store/cluster-store';
import { STATE_LABEL, stateColor, timeAgo } from './state-colors';
import { HeartbeatStrip } from './HeartbeatStrip';

const COLUMNS: Array<{ key: SortKey | 'tags' | 'uptime'; label: string }> = [
  { key: 'id', label: 'ID' },
  { key: 'hostname', label: 'Hostname' },
  { key: 'tailscale_ip', label: 'IP' },
  { key: 'role', label: 'Role' },
  { key: 'tags', label: 'Tags' },
  { key: 'state', label: 'State' },
  { key: 'latency', label: 'Latency' },
  { key: 'checked', label: 'Last check' },
  { key: 'uptime', label: 'Uptime 24 h' },
];
const ROW_HEIGHT = 32;
// Stable across renders: a new function would make the virtualiser re-measure all rows each update.
const estimateRowSize = () => ROW_HEIGHT;

/** Only the rows in view are in the DOM, so 1,000+ nodes stay smooth. */
export function NodeTable({ rows }: { rows: string[] }) {
  const parentRef = useRef<HTMLDivElement>(null);
  const selectedId = useClusterStore((s) => s.selectedId);
  const nodes = useClusterStore((s) => s.nodes);
  const healthById = useClusterStore((s) => s.health);
  const select = useClusterStore((s) => s.select);
  const sort = useClusterStore((s) => s.sort);
  const setSort = useClusterStore((s) => s.setSort);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => parentRef.current, estimateSize: estimateRowSize, overscan: 6 });
  const selectedIndex = selectedId ? rows.indexOf(selectedId) : -1;

  const onKeyDown = (event: KeyboardEvent) => {
    const move = (index: number) => {
      const clamped = Math.max(0, Math.min(rows.length - 1, index));
      if (!rows[clamped]) return;
      select(rows[clamped]);
      virtualizer.scrollToIndex(clamped, { align: 'auto' });
      event.preventDefault();
    };
    if (event.key === 'ArrowDown') move(selectedIndex + 1);
    else if (event.key === 'ArrowUp') move(selectedIndex - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(rows.length - 1);
    else if (event.key === 'PageDown') move(selectedIndex + 15);
    else if (event.key === 'PageUp') move(selectedIndex - 15);
    else if (event.key === 'Escape') select(null);
  };

  return (
    <div className="table" role="grid" aria-label="Nodes" aria-rowcount={rows.length + 1} tabIndex={0} onKeyDown={onKeyDown} data-testid="node-table">
      <div className="row head" role="row">
        {COLUMNS.map((c) => (
          <div key={c.key} role="columnheader" className={`cell c-${c.key}`} aria-sort={sort.key === c.key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}>
            {c.key === 'tags' || c.key === 'uptime' ? c.label : <button className="link" onClick={() => setSort(c.key as SortKey)}>{c.label}{sort.key === c.key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}</button>}
          </div>
        ))}
      </div>
      <div className="body" ref={parentRef}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const n = nodes.get(rows[item.index]);
            if (!n) return null;
            const health = healthById.get(n.id) ?? UNKNOWN_HEALTH;
            return <NodeRow key={n.id} node={n} health={health} index={item.index} start={item.start} selected={n.id === selectedId} onSelect={select} />;
          })}
        </div>
      </div>
    </div>
  );
}

interface RowProps {
  node: Node;
  health: NodeHealth;
  index: number;
  start: number;
  selected: boolean;
  onSelect(id: string): void;
}

/** One row; memoised so a scroll or an update of other nodes does not re-render it. */
const NodeRow = memo(function NodeRow({ node: n, health, index, start, selected, onSelect }: RowProps) {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-node-id={n.id}
      data-state={health.status}
      className={`row${selected ? ' selected' : ''}`}
      style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${start}px)` }}
      onClick={() => onSelect(n.id)}
    >
      <div role="gridcell" className="cell c-id">{n.id}</div>
      <div role="gridcell" className="cell c-hostname">{n.hostname}</div>
      <div role="gridcell" className="cell c-tailscale_ip mono">{n.tailscale_ip}</div>
      <div role="gridcell" className="cell c-role">{n.role}</div>
      <div role="gridcell" className="cell c-tags">{n.tags.join(', ')}</div>
      <div role="gridcell" className="cell c-state" title={health.error ?? ''}>
        <span className="dot" style={{ background: stateColor(health.status) }} aria-hidden /> {STATE_LABEL[health.status]}
      </div>
      <div role="gridcell" className="cell c-latency mono">{health.latency_ms === null ? '—' : `${health.latency_ms.toFixed(1)} ms`}</div>
      <div role="gridcell" className="cell c-checked">{timeAgo(health.checked_at)}</div>
      <div role="gridcell" className="cell c-uptime"><HeartbeatStrip recent={health.recent} uptime={health.uptime_24h} /></div>
    </div>
  );
});
