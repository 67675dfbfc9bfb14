import { memo, useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { HealthEvent, NodeHealth } from '../../../shared/schemas/health';
import type { Node } from '../../../shared/schemas/node';
import { dissentOf } from '../../../shared/vantage';
import { useVirtualizer } from '@tanstack/react-virtual';
import { UNKNOWN_HEALTH, useClusterStore, type SortKey } from '../store/cluster-store';
import { formatAgo, formatDateTime, formatNumber, formatWhen } from '../i18n/format';
import { i18n } from '../i18n/setup-i18n';
import { fastT, fixedT } from '../i18n/fast-t';
import { roleLabel, stateLabel } from '../i18n/enum-labels';
import { HeartbeatStrip } from './HeartbeatStrip';
import { Ago } from './Ago';
import { healthError } from '../i18n/event-reason';
import { cellWidth, FLEX_MIN, hiddenColumns, textWidth, type ColumnKey, type ColumnWidths } from './table-columns';
import { mutedUntil } from './node-facts';

const COLUMNS: Array<{ key: ColumnKey; label: 'table.id' | 'table.hostname' | 'table.ip' | 'table.role' | 'table.tags' | 'table.state' | 'table.latency' | 'table.checked' | 'table.uptime' }> = [
  { key: 'id', label: 'table.id' },
  { key: 'hostname', label: 'table.hostname' },
  { key: 'tailscale_ip', label: 'table.ip' },
  { key: 'role', label: 'table.role' },
  { key: 'tags', label: 'table.tags' },
  { key: 'state', label: 'table.state' },
  { key: 'latency', label: 'table.latency' },
  { key: 'checked', label: 'table.checked' },
  { key: 'uptime', label: 'table.uptime' },
];
const ROW_HEIGHT = 32;
// Stable across renders: a new function would make the virtualiser re-measure all rows each update.
const estimateRowSize = () => ROW_HEIGHT;

const STATES = ['healthy', 'degraded', 'unhealthy', 'unknown', 'maintenance'] as const;

/** What a row's dissent mark shows ("↓ mon-c"): the table measures the state column with it. */
const dissentText = (d: { status: string; monitors: string[] }) => `${d.status === 'unhealthy' ? '↓' : '↑'} ${d.monitors.join(', ')}`;
/** The mark's margin, padding and border around its text. */
const DISSENT_FRAME = 6 + 8 + 2;
/** The muted mark's margin, padding and border around its text (it shows beside the id). */
const MUTED_FRAME = 6 + 10 + 2;

/**
 * The widths that show each node's id, address, state (with any dissent mark), latency and last check
 * whole, in this language; and the id column's width with a muted node's mark beside its id (0 when none is muted).
 */
function measureColumns(nodes: Map<string, Node>, marks: string[]): { widths: ColumnWidths; idWithMarks: number } {
  const family = getComputedStyle(document.documentElement).fontFamily || 'sans-serif';
  const mono = "ui-monospace, 'SF Mono', Menlo, monospace";
  const body = `14px ${family}`;
  const heading = (key: (typeof COLUMNS)[number]['label']) => ({ text: `${i18n.t(key)} ▲`, font: `600 12px ${family}` });
  const all = [...nodes.values()];
  const stale = cellWidth([fixedT('clock.stale').toUpperCase()], `10px ${family}`, { text: '', font: body }) + 4;
  const muted = all.filter((n) => mutedUntil(n)).map((n) => n.id);
  const idWithMarks = muted.length === 0 ? 0 : cellWidth(muted, body, heading('table.id'), textWidth([i18n.t('table.mutedMark').toUpperCase()], `10px ${family}`) + MUTED_FRAME);
  const widths = {
    id: cellWidth(all.map((n) => n.id), body, heading('table.id')),
    tailscale_ip: cellWidth(all.map((n) => n.tailscale_ip), `12px ${mono}`, heading('table.ip')),
    state: cellWidth(STATES.map((s) => stateLabel(s)), body, heading('table.state'), 14 + (marks.length > 0 ? textWidth(marks, `10px ${family}`) + DISSENT_FRAME : 0)),
    latency: cellWidth([fastT('table.ms', { value: formatNumber(999.9, 1) }), fixedT('time.never')], `12px ${mono}`, heading('table.latency')),
    checked: cellWidth([formatAgo(new Date(Date.now() - 59 * 60_000).toISOString(), Date.now())], body, heading('table.checked'), stale),
    // The others share what is left, each down to its minimum or its heading, whichever is wider.
    hostname: Math.max(FLEX_MIN.hostname!, cellWidth([], body, heading('table.hostname'))),
    role: Math.max(FLEX_MIN.role!, cellWidth([], body, heading('table.role'))),
    tags: Math.max(FLEX_MIN.tags!, cellWidth([], body, heading('table.tags'))),
    uptime: Math.max(FLEX_MIN.uptime!, cellWidth([], body, heading('table.uptime'))),
  };
  return { widths, idWithMarks };
}

/**
 * Column widths and the columns hidden at this width. A muted mark widens the id column only where that
 * hides no column; otherwise the marks are left out of the table (the detail and the filters still say it).
 */
function layoutColumns(measured: ColumnWidths, withMarks: number, width: number): { widths: ColumnWidths; hidden: ColumnKey[]; marks: boolean } {
  const hidden = width > 0 ? hiddenColumns(measured, width) : [];
  if (withMarks === 0) return { widths: measured, hidden, marks: true };
  const widened = { ...measured, id: Math.max(measured.id ?? 0, withMarks) };
  const hiddenWidened = width > 0 ? hiddenColumns(widened, width) : [];
  // The stylesheet caps the id column at 40 % of the table (.row > .c-id): past that the id would be cut.
  const fits = hiddenWidened.every((key) => hidden.includes(key)) && (width === 0 || widened.id <= width * 0.4);
  return fits ? { widths: widened, hidden: hiddenWidened, marks: true } : { widths: measured, hidden, marks: false };
}

/** When each node in maintenance entered it, from the event log the page holds. */
function maintenanceStarts(events: HealthEvent[]): Map<string, string> {
  const since = new Map<string, string>();
  for (const e of events) if (e.kind === 'transition' && e.node && e.to === 'maintenance') since.set(e.node, e.at);
  return since;
}

/** Only the rows in view are in the DOM, so 1,000+ nodes stay smooth. */
export function NodeTable({ rows }: { rows: string[] }) {
  const { t } = useTranslation();
  const parentRef = useRef<HTMLDivElement>(null);
  const selectedId = useClusterStore((s) => s.selectedId);
  const nodes = useClusterStore((s) => s.nodes);
  const healthById = useClusterStore((s) => s.health);
  const select = useClusterStore((s) => s.select);
  const sort = useClusterStore((s) => s.sort);
  const setSort = useClusterStore((s) => s.setSort);
  const clearFilters = useClusterStore((s) => s.clearFilters);
  const events = useClusterStore((s) => s.events);
  // While monitoring is paused, the states shown are the ones from before the pause.
  const frozen = useClusterStore((s) => s.status?.monitor.paused ?? false);
  const since = useMemo(() => maintenanceStarts(events), [events]);
  // Three rows beyond each edge suffice for fixed-height rows; every row in the DOM is drawn again after each sweep.
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => parentRef.current, estimateSize: estimateRowSize, overscan: 3 });
  const selectedIndex = selectedId ? rows.indexOf(selectedId) : -1;
  // Columns follow the table's own width (the detail beside it takes some): id, state and address stay whole, lower-value columns go first.
  const tableRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = tableRef.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  // The marks as one string: a new status with the same dissent does not measure again.
  const marks = useClusterStore((s) => [...new Set((s.status?.peers?.dissent ?? []).map(dissentText))].join('\n'));
  const measured = useMemo(() => measureColumns(nodes, marks ? marks.split('\n') : []), [nodes, marks]);
  const { widths, hidden, marks: mutedMarks } = useMemo(() => layoutColumns(measured.widths, measured.idWithMarks, width), [measured, width]);
  const columnStyle = useMemo(() => Object.fromEntries(Object.entries(widths).map(([key, px]) => [`--w-${key}`, `${px}px`])) as CSSProperties, [widths]);

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
    <div
      ref={tableRef}
      className={frozen ? 'table frozen' : 'table'}
      style={columnStyle}
      data-hide={hidden.join(' ')}
      data-muted-marks={mutedMarks ? undefined : 'off'}
      role="grid"
      aria-label={fixedT('table.label')}
      aria-rowcount={rows.length + 1}
      tabIndex={0}
      onKeyDown={onKeyDown}
      data-testid="node-table"
      data-frozen={frozen}
    >
      <TableHead sort={sort} onSort={setSort} />
      {frozen && <div className="frozen-note" role="status" data-testid="frozen-note">{t('table.frozen')}</div>}
      <div className="body" ref={parentRef}>
        {rows.length === 0 && (
          <div className="no-match" data-testid="no-match">
            <strong>{t('table.noMatch')}</strong>
            <p className="muted">{t('table.noMatchHint')}</p>
            <button onClick={clearFilters}>{t('table.clearFilters')}</button>
          </div>
        )}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const n = nodes.get(rows[item.index]);
            if (!n) return null;
            const health = healthById.get(n.id) ?? UNKNOWN_HEALTH;
            return <NodeRow key={n.id} node={n} health={health} index={item.index} start={item.start} selected={n.id === selectedId} frozen={frozen} maintenanceSince={since.get(n.id) ?? null} onSelect={select} />;
          })}
        </div>
      </div>
    </div>
  );
}

/** The column headings; memoised, as they change only with the sort, not with each sweep. */
const TableHead = memo(function TableHead({ sort, onSort }: { sort: { key: SortKey; dir: 1 | -1 }; onSort(key: SortKey): void }) {
  const { t } = useTranslation();
  return (
    <div className="row head" role="row">
      {COLUMNS.map((c) => (
        <div key={c.key} role="columnheader" className={`cell c-${c.key}`} aria-sort={sort.key === c.key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}>
          {c.key === 'tags' || c.key === 'uptime' ? t(c.label) : <button className="link" onClick={() => onSort(c.key as SortKey)}>{t(c.label)}{sort.key === c.key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}</button>}
        </div>
      ))}
    </div>
  );
});

interface RowProps {
  node: Node;
  health: NodeHealth;
  index: number;
  start: number;
  selected: boolean;
  frozen: boolean;
  maintenanceSince: string | null;
  onSelect(id: string): void;
}

/** One row; memoised so a scroll or an update of other nodes does not re-render it. */
const NodeRow = memo(function NodeRow({ node: n, health, index, start, selected, frozen, maintenanceSince, onSelect }: RowProps) {
  // i18n.t rather than useTranslation: the language is set once per page, and the hook's cost adds up over the rows in view.
  const t = i18n.t;
  const inMaintenance = health.status === 'maintenance';
  const muted = mutedUntil(n);
  const tags = n.tags.join(', ');
  const dissent = dissentOf(health.status, health.vantage);
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-node-id={n.id}
      data-state={health.status}
      data-frozen={frozen || undefined}
      className={`row${selected ? ' selected' : ''}${frozen ? ' frozen' : ''}`}
      style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${start}px)` }}
      onClick={() => onSelect(n.id)}
    >
      <div role="gridcell" className="cell c-id" title={n.id}>
        <span className="id-text">{n.id}</span>
        {muted && <span className="muted-mark" data-testid="muted-mark" title={t('table.muted', { time: formatDateTime(muted) })}>{t('table.mutedMark')}</span>}
      </div>
      <div role="gridcell" className="cell c-hostname" title={n.hostname}>{n.hostname}</div>
      <div role="gridcell" className="cell c-tailscale_ip mono" title={n.tailscale_ip}>{n.tailscale_ip}</div>
      <div role="gridcell" className="cell c-role" title={roleLabel(n.role)}>{roleLabel(n.role)}</div>
      <div role="gridcell" className="cell c-tags" title={tags}>{tags}</div>
      <div role="gridcell" className="cell c-state" title={frozen ? fixedT('table.frozen') : (healthError(health) ?? '')}>
        <span className="dot" aria-hidden /> {stateLabel(health.status)}
        {dissent && (
          // Compact in the row ("↓ mon-c"); the sentence is its label and tooltip, and the node detail lists every view.
          <span
            className="dissent-mark"
            data-testid="dissent-mark"
            aria-label={t(dissent.status === 'unhealthy' ? 'vantage.dissentDown' : 'vantage.dissentUp', { monitors: dissent.monitors.join(', ') })}
            title={t('vantage.dissentTitle', { what: t(dissent.status === 'unhealthy' ? 'vantage.dissentDown' : 'vantage.dissentUp', { monitors: dissent.monitors.join(', ') }), state: stateLabel(health.status) })}
          >
            {dissentText(dissent)}
          </span>
        )}
      </div>
      <div role="gridcell" className="cell c-latency mono">{inMaintenance || health.latency_ms === null ? fixedT('time.never') : fastT('table.ms', { value: formatNumber(health.latency_ms, 1) })}</div>
      <div role="gridcell" className="cell c-checked">
        {inMaintenance ? (
          <span className="muted" data-testid="maintenance-since" title={maintenanceSince ? t('table.maintenanceSince', { time: formatDateTime(maintenanceSince) }) : undefined}>
            {maintenanceSince ? t('table.maintenanceSince', { time: formatWhen(maintenanceSince) }) : t('table.inMaintenance')}
          </span>
        ) : (
          <Ago iso={health.checked_at} empty={fixedT('time.never')} />
        )}
      </div>
      <div role="gridcell" className="cell c-uptime">{inMaintenance ? null : <HeartbeatStrip recent={health.recent} uptime={health.uptime_24h} />}</div>
    </div>
  );
});
