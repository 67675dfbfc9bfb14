import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { HEALTH_STATES, NODE_ROLES } from '../../../shared/schemas/node';
import { useClusterStore } from '../store/cluster-store';
import { useGate } from '../store/scope-gate';
import { formatNumber } from '../i18n/format';
import { stateLabel } from '../i18n/enum-labels';

export function Filters({ shown, onRun }: { shown: number; onRun(): void }) {
  const { t } = useTranslation();
  const gate = useGate();
  const filter = useClusterStore((s) => s.filter);
  const setFilter = useClusterStore((s) => s.setFilter);
  const total = useClusterStore((s) => s.order.length);
  const nodes = useClusterStore((s) => s.nodes);
  // The tags in use, offered as suggestions (matching ignores case).
  const tags = useMemo(() => {
    const seen = new Set<string>();
    for (const node of nodes.values()) for (const tag of node.tags) seen.add(tag);
    return [...seen].sort((a, b) => a.localeCompare(b));
  }, [nodes]);
  return (
    <div className="filters" role="search">
      <label>
        {t('filters.search')}
        <input type="search" placeholder={t('filters.searchPlaceholder')} value={filter.q ?? ''} onChange={(e) => setFilter({ q: e.target.value || undefined })} />
      </label>
      <label>
        {t('filters.role')}
        <select value={filter.role ?? ''} onChange={(e) => setFilter({ role: (e.target.value || undefined) as never })}>
          <option value="">{t('filters.all')}</option>
          {NODE_ROLES.map((r) => <option key={r}>{r}</option>)}
        </select>
      </label>
      <label>
        {t('filters.state')}
        <select value={filter.status ?? ''} onChange={(e) => setFilter({ status: (e.target.value || undefined) as never })}>
          <option value="">{t('filters.all')}</option>
          {HEALTH_STATES.map((s) => <option key={s} value={s}>{stateLabel(s)}</option>)}
        </select>
      </label>
      <label>
        {t('filters.tag')}
        <input list="tag-suggestions" value={filter.tag ?? ''} onChange={(e) => setFilter({ tag: e.target.value.trim() || undefined })} placeholder={t('filters.tagPlaceholder')} />
        <datalist id="tag-suggestions">
          {tags.map((tag) => <option key={tag} value={tag} />)}
        </datalist>
      </label>
      <span className="muted shown" aria-live="polite">{t('filters.shown', { shown: formatNumber(shown), total: formatNumber(total) })}</span>
      <button onClick={onRun} title={t('filters.runTitle')} {...gate('commands:run', shown === 0)}>{t('filters.run', { count: shown })}</button>
    </div>
  );
}
