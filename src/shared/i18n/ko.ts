import type { Catalogue } from './catalogue';

/** The Korean message catalogue; same keys as en.ts (checked by tests/shared/i18n-catalogue.test.ts). */
export const ko: Catalogue = {
  app: {
    name: 'MCP Cloud Orchestrator',
  },
  state: {
    healthy: '정상',
    degraded: '성능 저하',
    unhealthy: '장애',
    critical: '심각',
    unknown: '알 수 없음',
    maintenance: '점검 중',
  },
  containers: {
    title: '컨테이너',
    refresh: '새로 고침',
    none: '이 노드에는 컨테이너가 없습니다.',
    name: '이름',
    state: '상태',
    cpu: 'CPU',
    memory: '메모리',
    mib: '{{value}} MiB',
    start: '시작',
    stop: '중지',
    restart: '재시작',
    logs: '로그',
    follow: '실시간 보기',
    drain: '드레인',
    activate: '활성화',
    swarmLine: 'Swarm {{role}} · {{availability}} · 실행 중인 태스크 {{tasks}}개',
    role: { manager: '매니저', worker: '워커' },
    availability: { active: '활성', pause: '일시 중지', drain: '드레인됨' },
  },
  time: {
    never: '—',
  },
  common: {
    cancel: '취소',
    close: '닫기',
    save: '저장',
    delete: '삭제',
    edit: '편집',
    loading: '불러오는 중…',
  },
};
