import { afterEach, describe, expect, it, vi } from 'vitest';
import { TrayController, type TrayHandle } from '../../src/main/tray-controller';
import type { MenuSpec, TrayAction } from '../../src/main/tray-presentation';
import { computeClusterStatus } from '../../src/core/monitor/cluster-status';
import type { ClusterStatus } from '../../src/shared/schemas/health';
import { NodeSchema, type HealthState } from '../../src/shared/schemas/node';

function status(states: Record<string, HealthState>, monitor: Partial<ClusterStatus['monitor']> = {}, roles: Record<string, 'master'> = {}): ClusterStatus {
  const nodes = Object.keys(states).map((id) => NodeSchema.parse({ id, hostname: id, tailscale_ip: '127.0.0.1', role: roles[id] ?? 'worker', cpu_cores: 1, memory_gb: 1, maintenance: states[id] === 'maintenance' }));
  return computeClusterStatus(nodes, (id) => states[id], { offline: false, paused: false, paused_until: null, in_grace: false, ...monitor }, '2026-01-01T00:00:00Z');
}

function fakeTray() {
  const calls: string[] = [];
  let menu: MenuSpec[] = [];
  let onAction: (a: TrayAction) => void = () => {};
  const clickListeners: Array<() => void> = [];
  const handle: TrayHandle = {
    setIcon: (c) => calls.push(`icon:${c}`),
    setToolTip: (t) => calls.push(`tooltip:${t}`),
    setMenu: (m, cb) => {
      menu = m;
      onAction = cb;
      calls.push('menu');
    },
    onClick: (listener) => clickListeners.push(listener),
    destroy: () => calls.push('destroy'),
  };
  return { handle, calls, menu: () => menu, clickIcon: () => clickListeners.forEach((l) => l()), click: (label: string) => {
    const find = (items: MenuSpec[]): MenuSpec | undefined => items.flatMap((i) => (i.type === 'submenu' ? [i, ...(find(i.items) ? [find(i.items)!] : [])] : [i])).find((i) => 'label' in i && i.label === label && i.type === 'action');
    const item = find(menu);
    if (item?.type !== 'action') throw new Error(`no menu action ${label}`);
    onAction(item.action);
  } };
}

const labels = (menu: MenuSpec[]): string[] => menu.flatMap((i) => (i.type === 'separator' ? ['—'] : i.type === 'submenu' ? [`${i.label} >`, ...labels(i.items).map((l) => `  ${l}`)] : [i.label]));

afterEach(() => vi.useRealTimers());

describe('TrayController', () => {
  it.each([
    ['healthy', { a: 'healthy', b: 'healthy' }, 'green', '2/2 healthy'],
    ['degraded', { a: 'healthy', b: 'degraded', c: 'healthy' }, 'amber', '2/3 healthy'],
    ['critical', { a: 'healthy', b: 'unhealthy' }, 'red', '1/2 healthy — b down'],
    ['unknown', { a: 'unknown' }, 'grey', 'MCP Cloud Orchestrator — Checking…'],
  ] as const)('shows a %s cluster', (_name, states, colour, tooltip) => {
    const tray = fakeTray();
    const controller = new TrayController(() => tray.handle, () => {});
    controller.update(status(states as Record<string, HealthState>));
    controller.flush();
    expect(controller.shown).toMatchObject({ colour, tooltip });
    expect(tray.calls).toContain(`icon:${colour}`);
  });

  it('names the down nodes in the tooltip and a submenu that opens the window on them', () => {
    const tray = fakeTray();
    const actions: TrayAction[] = [];
    const controller = new TrayController(() => tray.handle, (a) => actions.push(a));
    const states: Record<string, HealthState> = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`node-${String(i + 1).padStart(2, '0')}`, 'healthy']));
    states['node-07'] = 'unhealthy';
    states['node-12'] = 'unhealthy';
    states['node-03'] = 'maintenance';
    controller.update(status(states));
    controller.flush();
    expect(controller.shown?.tooltip).toBe('14/16 healthy — node-07, node-12 down');
    expect(controller.shown?.colour).toBe('amber');
    expect(labels(tray.menu())).toEqual([
      '14/16 healthy — node-07, node-12 down', 'Down (2) >', '  node-07', '  node-12', '—', 'Check now', 'Pause monitoring >', '  For 1 hour', '  Until resumed', 'Open window', '—', 'Quit',
    ]);
    tray.click('node-12');
    tray.click('Check now');
    tray.click('For 1 hour');
    tray.click('Quit');
    expect(actions).toEqual([{ kind: 'open-node', id: 'node-12' }, { kind: 'check-now' }, { kind: 'pause', durationMs: 3_600_000 }, { kind: 'quit' }]);
  });

  it('goes grey while paused or while the monitor is offline, offering Resume', () => {
    const tray = fakeTray();
    const controller = new TrayController(() => tray.handle, () => {});
    controller.update(status({ a: 'unhealthy' }, { paused: true }));
    controller.flush();
    expect(controller.shown).toMatchObject({ colour: 'grey', tooltip: 'MCP Cloud Orchestrator — Monitoring paused' });
    expect(labels(tray.menu())).toContain('Resume monitoring');
    controller.update(status({ a: 'healthy', b: 'healthy' }, { offline: true }));
    controller.flush();
    expect(controller.shown?.colour).toBe('grey');
    expect(controller.shown?.tooltip).toContain('Monitor offline');
  });

  it('debounces bursts of updates and applies only what changed', () => {
    vi.useFakeTimers();
    const tray = fakeTray();
    const controller = new TrayController(() => tray.handle, () => {}, 250);
    tray.calls.length = 0;
    for (let i = 0; i < 10; i++) controller.update(status({ a: 'healthy' }));
    expect(tray.calls).toEqual([]);
    vi.advanceTimersByTime(250);
    expect(tray.calls).toEqual(['icon:green', 'tooltip:1/1 healthy', 'menu']);
    controller.update(status({ a: 'healthy' }));
    vi.advanceTimersByTime(250);
    expect(tray.calls).toHaveLength(3); // nothing changed, nothing re-applied
  });

  it('opens the window on a left click on Windows and Linux, and leaves the click to the menu on macOS', () => {
    for (const [platform, expected] of [['win32', [{ kind: 'open-window' }]], ['linux', [{ kind: 'open-window' }]], ['darwin', []]] as const) {
      const tray = fakeTray();
      const actions: TrayAction[] = [];
      new TrayController(() => tray.handle, (a) => actions.push(a), 250, platform);
      tray.clickIcon();
      expect(actions, platform).toEqual(expected);
    }
  });
});
