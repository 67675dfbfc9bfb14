import { Fragment, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../i18n/format';
import { TOKEN_SCOPES, TokenCreateSchema, type TokenInfo, type TokenScope } from '../../../shared/schemas/auth';
import { fieldErrors } from '../../../shared/errors';
import type { FieldError } from '../../../shared/schemas/seed-format';
import { translateMessage } from '../i18n/field-error-text';
import { useClusterStore } from '../store/cluster-store';

/** Expiry choices: none, or days from now. */
const EXPIRY_DAYS = [0, 1, 7, 30, 90] as const;

/**
 * Scoped API tokens in the settings dialog (admins only): the list without secrets, revoke, and
 * create, whose secret is shown once in a box to copy and is gone when dismissed.
 */
export function TokensPanel() {
  const { t } = useTranslation();
  const api = useClusterStore((s) => s.api)!;
  const [tokens, setTokens] = useState<TokenInfo[]>([]);
  const [name, setName] = useState('');
  const [scope, setScope] = useState<TokenScope>('viewer');
  const [days, setDays] = useState<(typeof EXPIRY_DAYS)[number]>(0);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [copied, setCopied] = useState(false);
  /** The token whose revocation is being asked about (a revocation cuts its users off at once). */
  const [asking, setAsking] = useState<string | null>(null);
  const reload = () => void api.invoke('tokens:list', {}).then(setTokens, (e: Error) => setError(e.message));
  useEffect(reload, [api]);

  /** A refused field by the name its input shows. */
  const fieldLabel = (field: string): string => (field === 'name' || field === 'scope' ? t(`tokens.field.${field}`) : field === 'expires_at' ? t('tokens.expires') : field);
  const create = async () => {
    const request = { name: name.trim(), scope, ...(days ? { expires_at: new Date(Date.now() + days * 86_400_000).toISOString() } : {}) };
    const checked = TokenCreateSchema.safeParse(request);
    if (!checked.success) return setError(fieldErrors(checked.error).map((e) => `${fieldLabel(e.field)}: ${translateMessage(e.message, e.code, e.params)}`).join('; '));
    setError(null);
    try {
      const answer = await api.invoke('tokens:create', checked.data);
      setCreated({ name: answer.name, token: answer.token });
      setCopied(false);
      setName('');
      reload();
    } catch (e) {
      const details = (e as { payload?: { details?: FieldError[] } }).payload?.details ?? [];
      setError(details.length ? details.map((d) => `${fieldLabel(d.field)}: ${translateMessage(d.message, d.code, d.params)}`).join('; ') : (e as Error).message);
    }
  };
  const revoke = async (token: TokenInfo) => {
    setAsking(null);
    try {
      await api.invoke('tokens:revoke', { id: token.id });
      reload();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created!.token);
      setCopied(true);
    } catch {
      setError(t('tokens.copyFailed')); // the box stays: it can be selected by hand
    }
  };

  return (
    <fieldset data-testid="tokens">
      <legend>{t('tokens.legend')}</legend>
      <p className="hint">{t('tokens.intro')}</p>
      {created && (
        <div className="token-secret" role="alert" data-testid="token-secret">
          <p>{t('tokens.showOnce', { name: created.name })}</p>
          <input className="mono" readOnly value={created.token} aria-label={t('tokens.secret')} onFocus={(e) => e.target.select()} />
          <button onClick={() => void copy()}>{copied ? t('tokens.copied') : t('tokens.copy')}</button>
          <button className="primary" onClick={() => setCreated(null)}>{t('tokens.done')}</button>
        </div>
      )}
      {tokens.length === 0 ? (
        <p className="muted">{t('tokens.none')}</p>
      ) : (
        <table className="tokens-table">
          <thead>
            <tr>
              <th>{t('tokens.field.name')}</th>
              <th>{t('tokens.field.scope')}</th>
              <th>{t('tokens.created')}</th>
              <th>{t('tokens.lastUsed')}</th>
              <th>{t('tokens.expires')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => (
              <Fragment key={token.id}>
                <tr data-token={token.name}>
                  <td>{token.name}</td>
                  <td>{t(`tokens.scope.${token.scope}`)}</td>
                  <td>{formatDateTime(token.created_at)}</td>
                  <td>{token.last_used_at ? formatDateTime(token.last_used_at) : t('time.never')}</td>
                  <td>{token.expires_at ? formatDateTime(token.expires_at) : t('tokens.noExpiry')}</td>
                  <td>
                    <button className="danger" aria-expanded={asking === token.id} onClick={() => setAsking(token.id)}>{t('tokens.revoke')}</button>
                  </td>
                </tr>
                {asking === token.id && (
                  <tr className="token-confirm" data-testid="revoke-confirm">
                    <td colSpan={6}>
                      <p className="confirm" role="alert">{t('tokens.revokeAsk', { name: token.name, scope: t(`tokens.scope.${token.scope}`), can: t(`tokens.can.${token.scope}`) })}</p>
                      <button className="danger" onClick={() => void revoke(token)}>{t('tokens.revoke')}</button> <button onClick={() => setAsking(null)}>{t('tokens.cancel')}</button>
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
      <div className="token-create">
        <div className="field">
          <label htmlFor="token-name">{t('tokens.field.name')}</label>
          <input id="token-name" value={name} maxLength={64} onChange={(e) => setName(e.target.value)} placeholder={t('tokens.namePlaceholder')} />
        </div>
        <div className="field">
          <label htmlFor="token-scope">{t('tokens.field.scope')}</label>
          <select id="token-scope" value={scope} onChange={(e) => setScope(e.target.value as TokenScope)}>
            {TOKEN_SCOPES.map((s) => (
              <option key={s} value={s}>{t(`tokens.scope.${s}`)}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="token-expiry">{t('tokens.expires')}</label>
          <select id="token-expiry" value={days} onChange={(e) => setDays(Number(e.target.value) as (typeof EXPIRY_DAYS)[number])}>
            {EXPIRY_DAYS.map((d) => (
              <option key={d} value={d}>{d === 0 ? t('tokens.noExpiry') : t('tokens.inDays', { count: d })}</option>
            ))}
          </select>
        </div>
        {/* A second token would replace the first one's only showing: that box is dismissed first. */}
        <button className="primary" onClick={() => void create()} disabled={created !== null} title={created ? t('tokens.dismissFirst') : undefined}>{t('tokens.create')}</button>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
    </fieldset>
  );
}
