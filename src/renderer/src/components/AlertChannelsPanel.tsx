import { useEffect, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../i18n/format';
import type { AlertChannelView, AlertChannelType } from '../../../shared/schemas/alerts';
import { AlertChannelSchema } from '../../../shared/schemas/alerts';
import { fieldErrors } from '../../../shared/errors';
import type { FieldError } from '../../../shared/schemas/seed-format';
import { translateMessage } from '../i18n/field-error-text';
import { useClusterStore } from '../store/cluster-store';
import { useGate } from '../store/scope-gate';
import { channelTypeLabel } from '../i18n/enum-labels';

type Draft = Record<string, string>;
const TYPES: AlertChannelType[] = ['webhook', 'ntfy', 'slack', 'discord', 'email', 'alertmanager'];
const EMPTY: Draft = { type: 'webhook', id: '', url: '', priority: 'high', tags: '', token: '', host: '', port: '587', username: '', password: '', plain: '', from: '', to: '', urls: '', resend: '60', silence: '' };

/** Schema fields whose form field has another name. */
const FORM_FIELD: Record<string, string> = { resend_interval_s: 'resend', allow_plain_auth: 'plain' };

/** In a comma-separated field, which entry is wrong: "urls.1" → "… (#2)". */
const entryMessage = ({ field, message, code, params }: FieldError): string => {
  const index = field.split('.')[1];
  const text = translateMessage(message, code, params);
  return index !== undefined && /^\d+$/.test(index) ? `${text} (#${Number(index) + 1})` : text;
};

/** The add form's strings as a channel for the shared schema (lists split on commas). */
function toChannel(d: Draft): Record<string, unknown> {
  const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
  const optional = (s: string) => (s ? s : undefined);
  if (d.type === 'email') return { id: d.id, type: 'email', host: d.host, port: Number(d.port), username: optional(d.username), password: optional(d.password), allow_plain_auth: d.plain === 'true', from: d.from, to: list(d.to) };
  if (d.type === 'alertmanager') return { id: d.id, type: 'alertmanager', urls: list(d.urls), resend_interval_s: Number(d.resend), silence_on_mute: d.silence === 'true' };
  if (d.type === 'ntfy') return { id: d.id, type: 'ntfy', url: d.url, priority: d.priority, tags: list(d.tags), token: optional(d.token) };
  return { id: d.id, type: d.type, url: d.url };
}

function deliveryLine(view: AlertChannelView, t: TFunction): string {
  const d = view.delivery;
  if (d.status === 'idle') return t('alerts.idle');
  const counts = t('alerts.counts', { sent: d.sent, failed: d.failed });
  return d.last_failure && d.status !== 'ok' ? t('alerts.lastFailure', { counts, at: formatDateTime(d.last_failure.at), error: d.last_failure.error }) : counts;
}

/** Alert channels in the settings dialog: list with delivery state, enable, remove, test, add. */
export function AlertChannelsPanel() {
  const { t } = useTranslation();
  const api = useClusterStore((s) => s.api)!;
  const gate = useGate();
  const [views, setViews] = useState<AlertChannelView[]>([]);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [note, setNote] = useState('');
  const reload = () => void api.invoke('alerts:get', {}).then((v) => setViews(v.channels), (e: Error) => setNote(e.message));
  useEffect(reload, [api]);

  const stored = () => views.filter((v) => v.source === 'data_dir').map((v) => v.channel);
  const save = async (channels: unknown[]) => {
    try {
      setViews((await api.invoke('alerts:update', { channels: channels as never })).channels);
      return true;
    } catch (error) {
      const details = (error as { payload?: { details?: Array<{ field: string; message: string }> } }).payload?.details ?? [];
      setNote(details.length ? details.map((d) => `${d.field}: ${d.message}`).join('; ') : (error as Error).message);
      return false;
    }
  };
  const add = async () => {
    const result = AlertChannelSchema.safeParse(toChannel(draft));
    if (!result.success) return setErrors(Object.fromEntries(fieldErrors(result.error).map((e) => [FORM_FIELD[e.field.split('.')[0]] ?? e.field.split('.')[0], entryMessage(e)])));
    setErrors({});
    if (await save([...stored(), result.data])) setDraft(EMPTY);
  };
  const test = async (id: string) => {
    setNote(t('alerts.sending', { id }));
    try {
      const { results } = await api.invoke('alerts:test', { channel_id: id });
      setNote(results.map((r) => (r.ok ? t('alerts.delivered', { id: r.channel_id }) : t('alerts.testFailed', { id: r.channel_id, error: r.error }))).join('; '));
    } catch (error) {
      setNote((error as Error).message);
    }
    reload();
  };
  const field = (key: string, label: string, type = 'text') => (
    <div className="field" key={key}>
      <label htmlFor={`alert-${key}`}>{label}</label>
      <input id={`alert-${key}`} type={type} value={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} />
      {errors[key] && <p className="error" role="alert">{t('alerts.fieldError', { label, message: errors[key] })}</p>}
    </div>
  );

  return (
    <fieldset data-testid="alert-channels">
      <legend>{t('alerts.legend')}</legend>
      {/* Native notifications exist only in the desktop app (the preload's window.api); a browser has none. */}
      {views.length === 0 && <p className="muted" data-testid="no-channels">{t(window.api ? 'alerts.none' : 'alerts.noneBrowser')}</p>}
      {views.map((v) => {
        const c = v.channel;
        return (
          <div key={c.id} className={v.delivery.status === 'failing' ? 'alert-channel failing' : 'alert-channel'}>
            <strong>{c.id}</strong> <span className="muted">{channelTypeLabel(c.type)}</span> <span className="mono">{'url' in c ? c.url : c.type === 'alertmanager' ? c.urls.join(', ') : c.host}</span>
            {v.source === 'env' && <span className="muted"> {t('alerts.fromEnv')}</span>}
            <div className={v.delivery.status === 'failing' ? 'error' : 'muted'} role={v.delivery.status === 'failing' ? 'alert' : undefined}>
              {v.delivery.status === 'failing' ? t('alerts.failing', { line: deliveryLine(v, t) }) : deliveryLine(v, t)}
            </div>
            {v.delivery.peers
              ?.filter((p) => p.status === 'failing')
              .map((p) => (
                <div key={p.url} className="error" role="alert">{t('alerts.peerFailing', { url: p.url, error: p.last_error ?? '' })}</div>
              ))}
            <button {...gate('alerts:test')} onClick={() => void test(c.id)}>{t('alerts.sendTest')}</button>
            {v.source === 'data_dir' && (
              <>
                <label className="toggle">
                  <input type="checkbox" checked={c.enabled} {...gate('alerts:update')} onChange={(e) => void save(stored().map((s) => (s.id === c.id ? { ...s, enabled: e.target.checked } : s)))} /> {t('alerts.enabled')}
                </label>
                <button {...gate('alerts:update')} onClick={() => void save(stored().filter((s) => s.id !== c.id))}>{t('alerts.remove')}</button>
              </>
            )}
          </div>
        );
      })}
      <details>
        <summary>{t('alerts.addChannel')}</summary>
        <div className="field">
          <label htmlFor="alert-type">{t('alerts.type')}</label>
          <select id="alert-type" value={draft.type} onChange={(e) => setDraft({ ...draft, type: e.target.value })}>
            {TYPES.map((t) => (
              <option key={t} value={t}>{channelTypeLabel(t)}</option>
            ))}
          </select>
        </div>
        {field('id', t('alerts.id'))}
        {draft.type === 'alertmanager' && [field('urls', t('alerts.amUrls')), field('resend', t('alerts.resendInterval'))]}
        {draft.type === 'alertmanager' && (
          <label className="toggle">
            <input type="checkbox" checked={draft.silence === 'true'} onChange={(e) => setDraft({ ...draft, silence: e.target.checked ? 'true' : '' })} /> {t('alerts.silenceOnMute')}
          </label>
        )}
        {draft.type !== 'email' && draft.type !== 'alertmanager' && field('url', draft.type === 'ntfy' ? t('alerts.topicUrl') : t('alerts.webhookUrl'), 'url')}
        {draft.type === 'ntfy' && [field('priority', t('alerts.priority')), field('tags', t('alerts.tags')), field('token', t('alerts.token'), 'password')]}
        {draft.type === 'email' && [field('host', t('alerts.host')), field('port', t('alerts.port')), field('username', t('alerts.user')), field('password', t('alerts.password'), 'password'), field('from', t('alerts.from')), field('to', t('alerts.to'))]}
        {draft.type === 'email' && (
          <label className="toggle">
            <input type="checkbox" checked={draft.plain === 'true'} onChange={(e) => setDraft({ ...draft, plain: e.target.checked ? 'true' : '' })} /> {t('alerts.allowPlainAuth')}
          </label>
        )}
        <button className="primary" {...gate('alerts:update')} onClick={() => void add()}>{t('alerts.add')}</button>
      </details>
      {note && <p className="muted" role="status">{note}</p>}
    </fieldset>
  );
}
