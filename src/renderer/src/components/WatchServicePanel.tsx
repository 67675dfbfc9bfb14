import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { WatchServiceSchema } from '../../../shared/schemas/settings';
import { fieldErrors } from '../../../shared/errors';
import { useClusterStore } from '../store/cluster-store';

/**
 * Settings → "Watch a service" (desktop only): a URL and a token make the app a client of a shared
 * service; the app checks both, keeps the token in the OS keychain and restarts in that mode.
 */
const byField = (details: Array<{ field: string; message: string }>) => Object.fromEntries(details.map((d) => [d.field, d.message]));

export function WatchServicePanel({ watching }: { watching: string | null }) {
  const { t } = useTranslation();
  const api = useClusterStore((s) => s.api)!;
  const [url, setUrl] = useState('');
  const [token, setToken] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [state, setState] = useState<'idle' | 'checking' | 'restarting'>('idle');
  const apply = async (request: unknown) => {
    const checked = WatchServiceSchema.safeParse(request);
    if (!checked.success) return setErrors(byField(fieldErrors(checked.error)));
    setErrors({});
    setState('checking');
    try {
      await api.invoke('shell:watchService', checked.data);
      setState('restarting');
    } catch (error) {
      const details = (error as { payload?: { details?: Array<{ field: string; message: string }> } }).payload?.details ?? [];
      setErrors(details.length ? byField(details) : { url: (error as Error).message });
      setState('idle');
    }
  };
  const problem = (field: string) => errors[field] && <p className="error" role="alert" data-field={field}>{`${t(`watch.${field === 'token' ? 'token' : 'url'}`)}: ${errors[field]}`}</p>;
  return (
    <fieldset data-testid="watch-service">
      <legend>{t('watch.legend')}</legend>
      {watching ? (
        <>
          <p>{t('watch.watching', { url: watching })}</p>
          <button onClick={() => void apply({ url: null })} disabled={state !== 'idle'}>{t('watch.stop')}</button>
        </>
      ) : (
        <>
          <p className="hint">{t('watch.intro')}</p>
          <div className="field">
            <label htmlFor="watch-url">{t('watch.url')}</label>
            <input id="watch-url" type="url" value={url} placeholder={t('watch.urlPlaceholder')} onChange={(e) => setUrl(e.target.value)} aria-invalid={Boolean(errors.url)} />
            {problem('url')}
          </div>
          <div className="field">
            <label htmlFor="watch-token">{t('watch.token')}</label>
            <input id="watch-token" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} aria-invalid={Boolean(errors.token)} />
            {problem('token')}
          </div>
          <button onClick={() => void apply({ url: url.trim(), token: token.trim() })} disabled={state !== 'idle'}>{t('watch.start')}</button>
        </>
      )}
      {state !== 'idle' && <p className="muted" role="status">{t(state === 'checking' ? 'watch.checking' : 'watch.restarting')}</p>}
    </fieldset>
  );
}
