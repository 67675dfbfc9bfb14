import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClusterStore } from '../store/cluster-store';
import { useGate } from '../store/scope-gate';

/** What a new user sees with no nodes: every way to get a fleet in. */
export function EmptyState({ onAdd, onImport }: { onAdd(): void; onImport(source: 'file' | 'tailscale'): void }) {
  const { t } = useTranslation();
  const api = useClusterStore((s) => s.api)!;
  const gate = useGate();
  const [error, setError] = useState<string | null>(null);
  return (
    <section className="empty" aria-label={t('empty.label')}>
      <h2>{t('empty.title')}</h2>
      <p>{t('empty.body')}</p>
      <div className="choices">
        <button className="primary" {...gate('nodes:create')} onClick={onAdd}>{t('empty.add')}</button>
        <button {...gate('registry:import')} onClick={() => onImport('file')}>{t('empty.importFile')}</button>
        <button onClick={() => onImport('tailscale')} title={t('empty.importTailscaleTitle')} {...gate('tailscale:import')}>{t('empty.importTailscale')}</button>
        <button {...gate('demo:start')} onClick={() => api.invoke('demo:start', {}).catch((e: Error) => setError(e.message))}>{t('empty.demo')}</button>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
    </section>
  );
}
