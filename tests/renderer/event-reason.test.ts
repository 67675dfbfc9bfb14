// @vitest-environment node
import { afterAll, describe, expect, it } from 'vitest';
import { eventReason } from '../../src/renderer/src/i18n/event-reason';
import { auditLine } from '../../src/renderer/src/i18n/audit-text';
import { setupI18n } from '../../src/renderer/src/i18n/setup-i18n';

// A pending service's event, as service-watch.ts writes it: the English summary in `why`, and the plan's
// values (how many would fit, the first node's reason) for a window to word in its own language.
const event = {
  reason: 'big: 1 replica pending for 302 s: 0 of 1 fit; none has 1.5 CPUs left for the 1st',
  reason_code: 'service_pending',
  reason_params: { service: 'big', pending: 1, seconds: 302, why: '0 of 1 fit; none has 1.5 CPUs left for the 1st', wanted: 1, fits: 0, note_code: 'insufficient_cpu', note_node: 'node-01', 'note.free': 0, 'note.need': 1.5 },
};

describe('a pending service in the events, in the window language', () => {
  afterAll(() => setupI18n('en'));

  it('says the plan and the first node\'s reason in Korean, with no English left', () => {
    setupI18n('ko');
    expect(eventReason(event)).toBe('big: 복제본 1개가 302초째 대기 중: 1개 중 0개 배치 가능; node-01: CPU 0개 남음, 1.5개 필요');
  });

  it('in English too, and an older event without the plan\'s values as it was written', () => {
    setupI18n('en');
    expect(eventReason(event)).toBe('big: replicas pending: 1, for 302 s: 0 of 1 fit; node-01: 0 CPUs left, 1.5 needed');
    setupI18n('ko');
    const { wanted: _w, fits: _f, note_code: _c, note_node: _n, 'note.free': _fr, 'note.need': _ne, ...older } = event.reason_params;
    expect(eventReason({ ...event, reason_params: older })).toBe(`big: 복제본 1개가 302초째 대기 중: ${older.why}`);
  });
});

describe('an audit entry in the window language', () => {
  afterAll(() => setupI18n('en'));
  const muted = { actor: 'web-ui:admin token', action: 'mute_node', detail: 'muted for 8 h', outcome: 'ok' };

  it('words the actions, fixed details and outcomes it knows; a command and an error stay as written', () => {
    setupI18n('ko');
    expect(auditLine(muted)).toBe('web-ui:admin token: 알림 끄기 8시간 동안 (완료)');
    expect(auditLine({ actor: 'rest:admin token', action: 'service_deploy', detail: 'web: nginx:1.27, 3 replicas', outcome: 'requested' })).toBe('rest:admin token: 서비스 배포 web: nginx:1.27, 3 replicas (요청됨)');
    expect(auditLine({ actor: 'mcp:claude', action: 'run_command', detail: 'uptime', outcome: 'conflict: no node' })).toBe('mcp:claude: 명령 실행 uptime (conflict: no node)');
    expect(auditLine({ actor: 'x', action: 'from_a_newer_service', detail: 'd', outcome: 'ok' })).toBe('x: from_a_newer_service d (완료)');
    setupI18n('en');
    expect(auditLine(muted)).toBe('web-ui:admin token: mute alerts for 8 h (ok)');
  });
});
