import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NodeSilences as Silences } from '../../../shared/schemas/alerts';
import { formatDateTime } from '../i18n/format';
import { useClusterStore } from '../store/cluster-store';

/**
 * Active Alertmanager silences that cover this node's alerts: people told nothing by Alertmanager
 * see why here. Shown only when there is one, or when no peer of a channel answered.
 */
export function NodeSilences({ id, mutedUntil }: { id: string; mutedUntil: string | null }) {
  const { t } = useTranslation();
  const api = useClusterStore((s) => s.api)!;
  const [answer, setAnswer] = useState<Silences | null>(null);
  // Asked again when the mute changes: a mute may create a silence.
  useEffect(() => {
    let cancelled = false;
    setAnswer(null);
    const ask = () =>
      api.invoke('alerts:silences', { id }).then(
        (a) => !cancelled && setAnswer(a),
        () => !cancelled && setAnswer(null), // an older service without the channel: nothing to show
      );
    void ask();
    const again = setTimeout(() => void ask(), 1500); // a silence made by the mute lands a moment later
    return () => {
      cancelled = true;
      clearTimeout(again);
    };
  }, [api, id, mutedUntil]);
  if (!answer || (answer.silences.length === 0 && answer.errors.length === 0)) return null;
  return (
    <div className="silences" data-testid="node-silences">
      <h3>{t('detail.silences')}</h3>
      <ul>
        {answer.silences.map((s) => (
          <li key={s.id}>
            <span className="mono">{s.matchers.join(', ')}</span> <span className="muted">{t('detail.silenceUntil', { time: s.ends_at ? formatDateTime(s.ends_at) : '—', who: s.created_by, covers: s.covers.join(', ') })}</span>
            {s.comment && <div className="muted">{s.comment}</div>}
          </li>
        ))}
      </ul>
      {answer.errors.map((e) => (
        <p key={e.channel_id} className="error" role="alert">{t('detail.silencesUnreachable', { id: e.channel_id, error: e.error })}</p>
      ))}
    </div>
  );
}
