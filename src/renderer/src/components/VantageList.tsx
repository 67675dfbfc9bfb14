import { useTranslation } from 'react-i18next';
import type { NodeHealth } from '../../../shared/schemas/health';
import { stateLabel } from '../i18n/enum-labels';
import { healthError } from '../i18n/event-reason';
import { Ago } from './Ago';
import { stateColor } from './state-colors';

/** Each monitor's own view of a node and how the monitors decided its state (MONITOR_PEERS only). */
export function VantageList({ health }: { health: NodeHealth }) {
  const { t } = useTranslation();
  if (!health.vantage || !health.quorum) return null;
  const { needed, voters, alone } = health.quorum;
  return (
    <section className="vantage" data-testid="vantage">
      <h3>{t('vantage.heading')}</h3>
      <p className="muted" data-testid="vantage-decided">{alone || needed === 0 ? t('vantage.alone') : t('vantage.decided', { needed, voters })}</p>
      <ul className="vantage-list">
        {health.vantage.map((v) => (
          <li key={v.monitor} data-monitor={v.monitor} data-counted={v.counted}>
            <span className="dot" style={{ background: stateColor(v.status) }} aria-hidden /> <strong>{v.monitor}</strong> {stateLabel(v.status)}
            {!v.counted && <span className="muted"> · {t('vantage.notCounted')}</span>}
            {v.checked_at && <> · <Ago iso={v.checked_at} empty="" /></>}
            {v.error && <div className="error vantage-error">{healthError(v)}</div>}
          </li>
        ))}
      </ul>
    </section>
  );
}
