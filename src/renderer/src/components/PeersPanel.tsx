import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MonitorPeerSchema, type PeersView } from '../../../shared/schemas/peers';
import { fieldErrors } from '../../../shared/errors';
import { translateMessage } from '../i18n/field-error-text';
import { useClusterStore } from '../store/cluster-store';
import { useGate } from '../store/scope-gate';
import { Ago } from './Ago';

/**
 * The peer monitors in the settings dialog (issue 42): each link and its last vote, remove, add with
 * a token of the peer. Tokens are never shown again: the list is sent back without them, and the
 * service keeps each stored one. Read-only while MONITOR_PEERS sets them.
 */
export function PeersPanel() {
  const { t } = useTranslation();
  const api = useClusterStore((s) => s.api)!;
  const gate = useGate();
  const [view, setView] = useState<PeersView | null>(null);
  const [draft, setDraft] = useState({ url: '', token: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [note, setNote] = useState('');
  const reload = () => void api.invoke('peers:list', {}).then(setView, (e: Error) => setNote(e.message));
  // Links change on their own (a peer restarts, a token is refused): read again while the panel is open.
  useEffect(() => {
    reload();
    const timer = setInterval(reload, 2000);
    return () => clearInterval(timer);
  }, [api]);
  if (!view) return null;
  const pinned = view.source !== 'saved' && view.source !== 'default';
  const kept = view.peers.map((p) => ({ url: p.url }));

  const save = async (peers: Array<{ url: string; token?: string }>) => {
    setNote('');
    try {
      setView(await api.invoke('peers:update', { peers }));
      return true;
    } catch (error) {
      setNote((error as Error).message);
      return false;
    }
  };
  const add = async () => {
    const result = MonitorPeerSchema.safeParse({ url: draft.url.trim(), token: draft.token.trim() });
    if (!result.success) return setErrors(Object.fromEntries(fieldErrors(result.error).map((e) => [e.field, translateMessage(e.message, e.code, e.params)])));
    setErrors({});
    if (await save([...kept, result.data])) setDraft({ url: '', token: '' });
  };
  const field = (key: 'url' | 'token', label: string, type: string) => (
    <div className="field">
      <label htmlFor={`peer-${key}`}>{label}</label>
      <input id={`peer-${key}`} type={type} autoComplete="off" value={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} />
      {errors[key] && <p className="error" role="alert">{t('peers.fieldError', { label, message: errors[key] })}</p>}
    </div>
  );

  return (
    <fieldset data-testid="peers-panel">
      <legend>{t('peers.legend')}</legend>
      <p className="muted">{t('peers.intro', { instance: view.instance })}</p>
      {pinned && <p className="muted" data-testid="peers-pinned">{t('peers.pinned', { where: t(`peers.where.${view.source === 'flag' ? 'flag' : view.source === '.env file' ? 'envFile' : 'environment'}`) })}</p>}
      {view.peers.length === 0 && <p className="muted" data-testid="no-peers">{t('peers.none')}</p>}
      {view.peers.map((p) => (
        <div key={p.url} className={p.error ? 'alert-channel failing' : 'alert-channel'} data-peer={p.url} data-link={p.link}>
          <strong>{p.instance ?? t('peers.unnamed')}</strong> <span className="mono">{p.url}</span> <span className="muted">{t(`peers.link.${p.link}`)}</span>
          <div className="muted">
            {p.last_vote_at ? <>{t('peers.lastVote', { nodes: p.nodes })} <Ago iso={p.last_vote_at} empty="" /></> : t('peers.noVote')}
          </div>
          {p.error && <div className="error" role="alert">{t(`peers.linkError.${p.link}`, { defaultValue: p.error })}</div>}
          {!pinned && <button {...gate('peers:update')} onClick={() => void save(kept.filter((k) => k.url !== p.url))}>{t('peers.remove')}</button>}
        </div>
      ))}
      {!pinned && (
        <details>
          <summary>{t('peers.addPeer')}</summary>
          {field('url', t('peers.url'), 'url')}
          {field('token', t('peers.token'), 'password')}
          <button className="primary" {...gate('peers:update')} onClick={() => void add()}>{t('peers.add')}</button>
        </details>
      )}
      {note && <p className="error" role="alert">{note}</p>}
    </fieldset>
  );
}
