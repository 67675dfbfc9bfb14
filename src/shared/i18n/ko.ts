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
