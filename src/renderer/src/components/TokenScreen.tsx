import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fromShellBridge, storeToken } from '../api/get-api';

/**
 * Shown when the service refused the page's token, or when the address carries none: a field to paste
 * the token, and where the service keeps it.
 */
export function TokenScreen({ refused }: { refused: boolean }) {
  const { t } = useTranslation();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  // The desktop app watching a service: the new token is checked and kept by the app, which restarts.
  const [watchUrl, setWatchUrl] = useState<string | null>(null);
  const shell = window.api ? fromShellBridge(window.api) : null;
  useEffect(() => {
    void shell?.invoke('shell:settings', {}).then((s) => setWatchUrl(s.watch_url), () => {});
  }, []); // read once, at mount
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!token.trim()) return;
    if (shell && watchUrl) {
      setError(null);
      try {
        await shell.invoke('shell:watchService', { url: watchUrl, token: token.trim() });
      } catch (e) {
        setError((e as Error).message);
      }
      return;
    }
    storeToken(token.trim());
    window.location.reload(); // a fresh start with the new token: store, bridge and view
  };
  return (
    <main className="center token-screen" data-testid="token-screen" data-reason={refused ? 'refused' : 'missing'}>
      <h1>{t('app.name')}</h1>
      <h2 role={refused ? 'alert' : undefined}>{refused ? t('connection.refusedTitle') : t('connection.noTokenTitle')}</h2>
      <p>{refused ? t('connection.refusedBody') : t('connection.noTokenBody')}</p>
      {watchUrl && <p data-testid="watching">{t('watch.watching', { url: watchUrl })}</p>}
      <form onSubmit={(e) => void submit(e)} className="token-form">
        <label htmlFor="api-token">{t('connection.tokenLabel')}</label>
        <input id="api-token" type="password" autoComplete="off" autoFocus value={token} onChange={(e) => setToken(e.target.value)} aria-describedby="api-token-hint" />
        <button type="submit" className="primary" disabled={!token.trim()}>{t('connection.connect')}</button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      <p className="hint" id="api-token-hint">{t('connection.tokenHint', { path: 'DATA_DIR/api-token' })}</p>
    </main>
  );
}
