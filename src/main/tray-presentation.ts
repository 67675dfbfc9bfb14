import type { ClusterStatus } from '../shared/schemas/health';

export type TrayColour = 'green' | 'amber' | 'red' | 'grey';

export type MenuSpec =
  | { type: 'label'; label: string }
  | { type: 'separator' }
  | { type: 'action'; label: string; action: TrayAction }
  | { type: 'submenu'; label: string; items: MenuSpec[] };

export type TrayAction =
  | { kind: 'open-node'; id: string }
  | { kind: 'check-now' }
  | { kind: 'pause'; durationMs?: number }
  | { kind: 'resume' }
  | { kind: 'open-window' }
  | { kind: 'quit' };

export interface TrayPresentation {
  colour: TrayColour;
  tooltip: string;
  menu: MenuSpec[];
}

const MAX_LISTED = 5;

function listIds(ids: string[]): string {
  return ids.length <= MAX_LISTED ? ids.join(', ') : `${ids.slice(0, MAX_LISTED).join(', ')} and ${ids.length - MAX_LISTED} more`;
}

/** What the tray shows for a cluster status: colour, tooltip and menu. Pure, so it is tested in Node. */
export function trayPresentation(status: ClusterStatus | null): TrayPresentation {
  if (!status) return { colour: 'grey', tooltip: 'MCP Cloud Orchestrator — starting', menu: baseMenu('Starting…', [], false) };
  const { monitor } = status;
  const monitored = status.total_nodes - status.maintenance_nodes;
  const down = status.down_node_ids;
  let colour: TrayColour;
  let line: string;
  if (monitor.paused) {
    colour = 'grey';
    line = `Monitoring paused${monitor.paused_until ? ` until ${new Date(monitor.paused_until).toLocaleTimeString()}` : ''}`;
  } else if (monitor.offline) {
    colour = 'grey';
    line = 'Monitor offline — this machine cannot reach the nodes';
  } else if (status.state === 'unknown') {
    colour = 'grey';
    line = status.total_nodes === 0 ? 'No nodes yet' : 'Checking…';
  } else {
    colour = status.state === 'healthy' ? 'green' : status.state === 'degraded' ? 'amber' : 'red';
    line = `${status.healthy_nodes}/${monitored} healthy${down.length > 0 ? ` — ${listIds(down)} down` : ''}`;
  }
  const tooltip = monitor.paused || monitor.offline || status.state === 'unknown' ? `MCP Cloud Orchestrator — ${line}` : line;
  return { colour, tooltip, menu: baseMenu(line, down, monitor.paused) };
}

function baseMenu(line: string, down: string[], paused: boolean): MenuSpec[] {
  const menu: MenuSpec[] = [{ type: 'label', label: line }];
  if (down.length > 0) {
    menu.push({ type: 'submenu', label: `Down (${down.length})`, items: down.map((id) => ({ type: 'action', label: id, action: { kind: 'open-node', id } })) });
  }
  menu.push(
    { type: 'separator' },
    { type: 'action', label: 'Check now', action: { kind: 'check-now' } },
    paused
      ? { type: 'action', label: 'Resume monitoring', action: { kind: 'resume' } }
      : {
          type: 'submenu',
          label: 'Pause monitoring',
          items: [
            { type: 'action', label: 'For 1 hour', action: { kind: 'pause', durationMs: 3_600_000 } },
            { type: 'action', label: 'Until resumed', action: { kind: 'pause' } },
          ],
        },
    { type: 'action', label: 'Open window', action: { kind: 'open-window' } },
    { type: 'separator' },
    { type: 'action', label: 'Quit', action: { kind: 'quit' } },
  );
  return menu;
}
