import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClusterStore } from '../store/cluster-store';
import { useGate } from '../store/scope-gate';
import { formatNumber, formatPercent, formatTime } from '../i18n/format';
import { stateColor } from './state-colors';
import { stateLabel } from '../i18n/enum-labels';
import { Ago } from './Ago';

export function Header({ onAdd, onImport, onSettings }: { onAdd(): void; onImport(): void; onSettings(): void }) {
  const { t } = useTranslation();
  const status = useClusterStore((s) => s.status);
  const api = useClusterStore((s) => s.api);
  const gate = useGate();
  const principal = useClusterStore((s) => s.principal);
  // Without a link to the service its last status is shown as that, greyed, never as the present.
  const linked = useClusterStore((s) => s.connection !== 'closed');
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [menuOpen, setMenuOpen] = useState(false);
  const actions = useRef<HTMLDivElement>(null);
  // On a narrow screen the less frequent actions sit in a menu: it closes on Escape and on a click elsewhere.
  useEffect(() => {
    if (!menuOpen) return;
    const onDown = (event: MouseEvent) => {
      if (!actions.current?.contains(event.target as Node)) setMenuOpen(false);
    };
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && setMenuOpen(false);
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [menuOpen]);
  if (!status || !api) return <header className="header" />;
  const fromMenu = (action: () => void) => () => {
    setMenuOpen(false);
    action();
  };
  const { paused, paused_until, offline } = status.monitor;
  const shownState = offline || paused || !linked ? 'unknown' : status.state;
  const monitored = status.total_nodes - status.maintenance_nodes;
  // Every action reports its failure here instead of leaving an unhandled rejection.
  const run = async (action: string, call: () => Promise<unknown>) => {
    setError(null);
    try {
      await call();
    } catch (e) {
      setError(t('header.actionFailed', { action, error: (e as Error).message }));
    }
  };
  const checkNow = async () => {
    setChecking(true);
    await run(t('header.checkNow'), () => api.invoke('cluster:checkNow', {}));
    setChecking(false);
  };
  return (
    <header className="header">
      <div className="cluster-state" data-testid="cluster-state" data-state={paused ? 'paused' : status.state} data-stale={!linked || undefined} style={{ borderColor: stateColor(shownState) }}>
        <span className="dot" style={{ background: stateColor(shownState) }} aria-hidden />
        {paused ? (
          <strong title={t('header.frozen')}>{paused_until ? t('header.pausedUntil', { time: formatTime(paused_until) }) : t('header.paused')}</strong>
        ) : linked ? (
          <strong>{stateLabel(status.state)}</strong>
        ) : (
          <strong title={t('header.lastKnownTitle')}>{t('header.lastKnown', { state: stateLabel(status.state) })}</strong>
        )}
        {offline && <span className="pill">{t('header.monitorOffline')}</span>}
        {status.peers && (
          <span
            className="pill peers-pill"
            data-testid="peers"
            data-open={status.peers.links.filter((l) => l.link === 'open').length}
            title={t('vantage.peersTitle', { instance: status.peers.instance, links: status.peers.links.map((l) => `${l.instance ?? l.url}: ${l.link}`).join(', ') })}
          >
            {t('vantage.peers', { open: status.peers.links.filter((l) => l.link === 'open').length, total: status.peers.links.length })}
          </span>
        )}
        {principal.scope !== 'admin' && <span className="pill" data-testid="principal">{t('scope.signedIn', { name: principal.name, scope: t(`tokens.scope.${principal.scope}`) })}</span>}
      </div>
      <dl className="counts" aria-label={t('header.counts')}>
        <div><dt>{t('header.healthy')}</dt><dd data-testid="count-healthy">{formatNumber(status.healthy_nodes)}/{formatNumber(status.total_nodes)}</dd></div>
        <div className="optional"><dt>{t('header.degraded')}</dt><dd>{formatNumber(status.degraded_nodes)}</dd></div>
        <div><dt>{t('header.unhealthy')}</dt><dd data-testid="count-unhealthy">{formatNumber(status.unhealthy_nodes)}</dd></div>
        <div className="optional"><dt>{t('header.maintenance')}</dt><dd>{formatNumber(status.maintenance_nodes)}</dd></div>
        <div className="narrow-optional"><dt>{t('header.availability')}</dt><dd data-testid="availability">{monitored > 0 && status.checked_at ? formatPercent(status.availability / 100) : t('time.never')}</dd></div>
        <div><dt>{t('header.lastSweep')}</dt><dd><Ago iso={status.checked_at} empty={t('clock.noSweep')} testId="last-sweep" /></dd></div>
      </dl>
      <div className={menuOpen ? 'actions open' : 'actions'} ref={actions}>
        <button onClick={checkNow} {...gate('cluster:checkNow', checking)}>{checking ? t('header.checking') : t('header.checkNow')}</button>
        <button className="menu-toggle" aria-expanded={menuOpen} aria-haspopup="true" title={t('header.menuTitle')} onClick={() => setMenuOpen((o) => !o)}>
          ☰ {t('header.menu')}
        </button>
        <div className="menu-items">
          {paused ? (
            <button {...gate('cluster:resume')} onClick={fromMenu(() => void run(t('header.resume'), () => api.invoke('cluster:resume', {})))}>{t('header.resume')}</button>
          ) : (
            <button onClick={fromMenu(() => void run(t('header.pause'), () => api.invoke('cluster:pause', { duration_s: 3600 })))} title={t('header.pauseTitle')} {...gate('cluster:pause')}>{t('header.pause')}</button>
          )}
          <button {...gate('nodes:create')} onClick={fromMenu(onAdd)}>{t('header.add')}</button>
          <button onClick={fromMenu(onImport)}>{t('header.importExport')}</button>
          <button onClick={fromMenu(onSettings)}>{t('header.settings')}</button>
        </div>
      </div>
      {error && <p className="error header-error" role="alert">{error}</p>}
    </header>
  );
}
