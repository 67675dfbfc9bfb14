import { useEffect, useRef, useState } from 'react';
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
  const shown = useRef<{ id: string; mutedUntil: string | null } | null>(null);
  // Asked when the node is shown, and again when its mute changes: a mute may create or expire a
  // silence, which the service makes a moment after answering the mute.
  useEffect(() => {
    let cancelled = false;
    const ask = () =>
      api.invoke('alerts:silences', { id }).then(
        (a) => !cancelled && setAnswer(a),
        () => !cancelled && setAnswer(null), // an older service without the channel: nothing to show
      );
    const muteChanged = shown.current?.id === id && shown.current.mutedUntil !== mutedUntil;
    shown.current = { id, mutedUntil };
    if (!muteChanged) setAnswer(null);
    const timer = setTimeout(() => void ask(), muteChanged ? 1500 : 0);
    return () => {
      cancelled = true;
      clearTimeout(timer);
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
