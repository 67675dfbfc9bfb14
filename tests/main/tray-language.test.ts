import { describe, expect, it } from 'vitest';
import { TrayController, type TrayHandle } from '../../src/main/tray-controller';
import { trayPresentation, type MenuSpec } from '../../src/main/tray-presentation';
import { createMainI18n } from '../../src/main/main-i18n';
import { localNotice } from '../../src/main/notice-text';
import { computeClusterStatus } from '../../src/core/monitor/cluster-status';
import type { ClusterStatus } from '../../src/shared/schemas/health';
import { NodeSchema, type HealthState } from '../../src/shared/schemas/node';

function status(states: Record<string, HealthState>, monitor: Partial<ClusterStatus['monitor']> = {}): ClusterStatus {
  const nodes = Object.keys(states).map((id) => NodeSchema.parse({ id, hostname: id, tailscale_ip: '127.0.0.1', role: 'worker', cpu_cores: 1, memory_gb: 1, maintenance: states[id] === 'maintenance' }));
  return computeClusterStatus(nodes, (id) => states[id], { offline: false, paused: false, paused_until: null, in_grace: false, ...monitor }, '2026-01-01T00:00:00Z');
}

const labels = (menu: MenuSpec[]): string[] => menu.flatMap((i) => (i.type === 'separator' ? ['—'] : i.type === 'submenu' ? [`${i.label} >`, ...labels(i.items).map((l) => `  ${l}`)] : [i.label]));
const noopTray = (): TrayHandle => ({ setIcon: () => {}, setToolTip: () => {}, setMenu: () => {}, onClick: () => {}, destroy: () => {} });

describe('tray and notifications in the OS language', () => {
  const until = '2026-01-01T14:05:00Z';
  const en = createMainI18n('en-US');
  const ko = createMainI18n('ko-KR');

  it('picks the language from the OS locale, English for others', () => {
    expect([createMainI18n('ko').language, createMainI18n('ko-KR').language, createMainI18n('fr-FR').language, createMainI18n('').language]).toEqual(['ko', 'ko', 'en', 'en']);
  });

  it('shows "paused until" with the time in the tooltip and the menu, grey, offering Resume', () => {
    const shown = trayPresentation(status({ a: 'healthy', b: 'unhealthy' }, { paused: true, paused_until: until }), en);
    const time = en.formatTime(until);
    expect(time).toBe(new Intl.DateTimeFormat('en-US', { hour: '2-digit', minute: '2-digit' }).format(new Date(until)));
    expect(shown.colour).toBe('grey');
    expect(shown.tooltip).toBe(`MCP Cloud Orchestrator — Monitoring paused until ${time}`);
    expect(labels(shown.menu)).toEqual([`Monitoring paused until ${time}`, 'Down (1) >', '  b', '—', 'Check now', 'Resume monitoring', 'Open window', '—', 'Quit']);
  });

  it('writes the whole menu in Korean', () => {
    const states: Record<string, HealthState> = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`node-${i + 1}`, i < 7 ? 'unhealthy' : 'healthy']));
    const shown = trayPresentation(status(states), ko);
    expect(shown.tooltip).toBe('9대 중 2대 정상 — node-1, node-2, node-3, node-4, node-5 외 2대 장애');
    expect(labels(shown.menu)).toEqual([
      '9대 중 2대 정상 — node-1, node-2, node-3, node-4, node-5 외 2대 장애',
      '장애 (7) >', ...Array.from({ length: 7 }, (_, i) => `  node-${i + 1}`),
      '—', '지금 점검', '모니터링 일시 중지 >', '  1시간 동안', '  재개할 때까지', '창 열기', '—', '종료',
    ]);
    const paused = trayPresentation(status({ a: 'healthy' }, { paused: true, paused_until: until }), ko);
    // Intl in Korean (오후 02:05 with full ICU data, as Electron ships).
    expect(ko.formatTime(until)).toBe(new Intl.DateTimeFormat('ko-KR', { hour: '2-digit', minute: '2-digit' }).format(new Date(until)));
    expect(paused.tooltip).toBe(`MCP Cloud Orchestrator — ${ko.formatTime(until)}까지 모니터링 일시 중지`);
    expect(labels(paused.menu)).toContain('모니터링 재개');
    expect(trayPresentation(null, ko).tooltip).toBe('MCP Cloud Orchestrator — 시작하는 중…');
    expect(trayPresentation(status({ a: 'healthy' }, { offline: true }), ko).tooltip).toContain('모니터 오프라인');
  });

  it('drives the tray through the controller in the language it is given', () => {
    const controller = new TrayController(noopTray, () => {}, 250, 'linux', ko);
    controller.update(status({ a: 'healthy', b: 'healthy' }));
    controller.flush();
    expect(controller.shown?.tooltip).toBe('2대 중 2대 정상');
    expect(labels(controller.shown!.menu)).toContain('창 열기');
  });

  it('builds desktop notifications in Korean from the alert kind and nodes, keeping the node to open', () => {
    const down = localNotice({ event: 'node_down', title: 'db-1 is down', body: 'connection refused', nodeId: 'db-1', nodes: [{ id: 'db-1', reason: 'connection refused' }] }, ko.t);
    expect(down).toEqual({ title: 'db-1 장애 발생', body: '원인: connection refused', nodeId: 'db-1' });
    const many = localNotice({ event: 'node_down', title: '3 nodes down', body: '', nodeId: 'a', nodes: ['a', 'b', 'c'].map((id) => ({ id, reason: 'timeout' })) }, ko.t);
    expect(many).toEqual({ title: '노드 3대 장애 발생', body: 'a, b, c', nodeId: 'a' });
    expect(localNotice({ event: 'node_recovered', title: '', body: '', nodeId: 'db-1', nodes: [{ id: 'db-1', reason: '' }] }, ko.t).title).toBe('db-1 복구됨');
    expect(localNotice({ event: 'monitor_offline', title: '', body: '', nodeId: null, nodes: [] }, ko.t).title).toBe('모니터 오프라인');
    expect(localNotice({ event: 'host_key_changed', title: '', body: '', nodeId: 'web-2', nodes: [{ id: 'web-2', reason: '' }] }, ko.t).title).toBe('web-2: SSH 호스트 키가 바뀜');
    expect(localNotice({ event: 'failover', title: 'w-3 drained in Swarm', body: 'unhealthy for 60 s', nodeId: 'w-3', nodes: [{ id: 'w-3', reason: 'unhealthy for 60 s' }] }, ko.t)).toEqual({ title: 'w-3: Swarm에서 드레인됨', body: '원인: unhealthy for 60 s', nodeId: 'w-3' });
    // English reads as before.
    expect(localNotice({ event: 'node_down', title: '', body: '', nodeId: 'db-1', nodes: [{ id: 'db-1', reason: 'connection refused' }] }, en.t)).toEqual({ title: 'db-1 is down', body: 'Reason: connection refused', nodeId: 'db-1' });
  });
});
