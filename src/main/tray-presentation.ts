import type { ClusterStatus } from '../shared/schemas/health';
import type { MainI18n } from './main-i18n';

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

/** The tray's words: a translate function and a time format (see main-i18n.ts). */
export type TrayText = Pick<MainI18n, 't' | 'formatTime'>;

const MAX_LISTED = 5;

function listIds(ids: string[], text: TrayText): string {
  return ids.length <= MAX_LISTED ? ids.join(', ') : text.t('tray.more', { ids: ids.slice(0, MAX_LISTED).join(', '), count: ids.length - MAX_LISTED });
}

/** How the tray shows a status beyond the status itself: a watched service's link, and what the token may do. */
export interface TrayView {
  /** The watched service cannot be reached, or refused the token, since then (ISO time): nothing it said before is shown as live. */
  link?: { problem: 'unreachable' | 'refused'; since: string } | null;
  /** The token may check now, pause and resume (operator or admin); false leaves those out of the menu. */
  canOperate?: boolean;
}

/** What the tray shows for a cluster status: colour, tooltip and menu. Pure, so it is tested in Node. */
export function trayPresentation(status: ClusterStatus | null, text: TrayText, view: TrayView = {}): TrayPresentation {
  const { t } = text;
  const name = t('app.name');
  const canOperate = view.canOperate ?? true;
  if (view.link) {
    const line = t(view.link.problem === 'refused' ? 'tray.tokenRefused' : 'tray.unreachable', { time: text.formatTime(view.link.since) });
    return { colour: 'grey', tooltip: t('tray.titled', { name, line }), menu: baseMenu(line, [], false, text, false) };
  }
  if (!status) return { colour: 'grey', tooltip: t('tray.titled', { name, line: t('tray.starting') }), menu: baseMenu(t('tray.starting'), [], false, text, canOperate) };
  const { monitor } = status;
  const monitored = status.total_nodes - status.maintenance_nodes;
  const down = status.down_node_ids;
  let colour: TrayColour;
  let line: string;
  if (monitor.paused) {
    colour = 'grey';
    line = monitor.paused_until ? t('tray.pausedUntil', { time: text.formatTime(monitor.paused_until) }) : t('tray.paused');
  } else if (monitor.offline) {
    colour = 'grey';
    line = t('tray.offline');
  } else if (status.state === 'unknown') {
    colour = 'grey';
    line = status.total_nodes === 0 ? t('tray.noNodes') : t('tray.checking');
  } else {
    colour = status.state === 'healthy' ? 'green' : status.state === 'degraded' ? 'amber' : 'red';
    line = down.length > 0 ? t('tray.healthyDown', { healthy: status.healthy_nodes, monitored, ids: listIds(down, text) }) : t('tray.healthy', { healthy: status.healthy_nodes, monitored });
  }
  const tooltip = monitor.paused || monitor.offline || status.state === 'unknown' ? t('tray.titled', { name, line }) : line;
  return { colour, tooltip, menu: baseMenu(line, down, monitor.paused, text, canOperate) };
}

function baseMenu(line: string, down: string[], paused: boolean, { t }: TrayText, canOperate: boolean): MenuSpec[] {
  const menu: MenuSpec[] = [{ type: 'label', label: line }];
  if (down.length > 0) {
    menu.push({ type: 'submenu', label: t('tray.down', { count: down.length }), items: down.map((id) => ({ type: 'action', label: id, action: { kind: 'open-node', id } })) });
  }
  menu.push({ type: 'separator' });
  if (canOperate) {
    menu.push(
      { type: 'action', label: t('tray.checkNow'), action: { kind: 'check-now' } },
      paused
        ? { type: 'action', label: t('tray.resume'), action: { kind: 'resume' } }
        : {
            type: 'submenu',
            label: t('tray.pause'),
            items: [
              { type: 'action', label: t('tray.pauseHour'), action: { kind: 'pause', durationMs: 3_600_000 } },
              { type: 'action', label: t('tray.pauseUntilResumed'), action: { kind: 'pause' } },
            ],
          },
    );
  }
  menu.push(
    { type: 'action', label: t('tray.openWindow'), action: { kind: 'open-window' } },
    { type: 'separator' },
    { type: 'action', label: t('tray.quit'), action: { kind: 'quit' } },
  );
  return menu;
}

/**
 * The tray image per platform (docs/api/tray.md): macOS template images (it tints them; @2x beside
 * them, marked 144 dpi), ICO on Windows (several sizes, picked by the display's scale), PNG elsewhere.
 */
export function trayIconFile(colour: TrayColour, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return `tray-${colour}Template.png`;
  return platform === 'win32' ? `tray-${colour}.ico` : `tray-${colour}.png`;
}
