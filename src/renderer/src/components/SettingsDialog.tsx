import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MonitorSettings, MonitorSettingSources, SettingSource, ShellSettings } from '../../../shared/schemas/settings';
import { useClusterStore } from '../store/cluster-store';
import { useGate } from '../store/scope-gate';
import { AlertChannelsPanel } from './AlertChannelsPanel';
import { TokensPanel } from './TokensPanel';
import { PeersPanel } from './PeersPanel';
import { WatchServicePanel } from './WatchServicePanel';
import { checkSettingsForm, SETTINGS_FIELDS, type SettingsField } from './settings-errors';
import { translateMessage } from '../i18n/field-error-text';
import type { FieldError } from '../../../shared/schemas/seed-format';

const SOURCE_KEY: Record<SettingSource, 'default' | 'saved' | 'environment' | 'flag' | 'envFile' | 'demo'> = {
  default: 'default',
  saved: 'saved',
  environment: 'environment',
  flag: 'flag',
  '.env file': 'envFile',
  demo: 'demo',
};

export function SettingsDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const api = useClusterStore((s) => s.api)!;
  const gate = useGate();
  const principal = useClusterStore((s) => s.principal);
  const [current, setCurrent] = useState<MonitorSettings | null>(null);
  const [values, setValues] = useState<Record<SettingsField, string>>({} as Record<SettingsField, string>);
  const [errors, setErrors] = useState<Partial<Record<SettingsField, string>>>({});
  /** Fields left once: their errors show from then on, and go as soon as the value is fixed. */
  const [left, setLeft] = useState<ReadonlySet<SettingsField>>(new Set());
  const recheck = (next: Record<SettingsField, string>, shown: ReadonlySet<SettingsField>) => {
    if (!current) return;
    const checked = checkSettingsForm(next, current, t);
    setErrors(checked.ok ? {} : Object.fromEntries(Object.entries(checked.errors).filter(([f]) => shown.has(f as SettingsField))));
  };
  const [failure, setFailure] = useState<string | null>(null);
  // Desktop-only preferences; the web UI has none (the call answers "unavailable").
  const [shell, setShell] = useState<(ShellSettings & { rest_error?: string | null }) | null>(null);
  const [sources, setSources] = useState<MonitorSettingSources | null>(null);
  useEffect(() => {
    void api.invoke('settings:sources', {}).then(setSources, () => setSources(null));
    void api.invoke('settings:get', {}).then(
      (s) => {
        setCurrent(s);
        setValues(Object.fromEntries(SETTINGS_FIELDS.map((f) => [f, String(s[f])])) as Record<SettingsField, string>);
      },
      (e: Error) => setFailure(e.message),
    );
    void api.invoke('shell:settings', {}).then(setShell, () => setShell(null));
  }, [api]);
  const save = async () => {
    if (!current) return;
    const checked = checkSettingsForm(values, current, t);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    setFailure(null);
    try {
      if (Object.keys(checked.patch).length > 0) {
        const saved = await api.invoke('settings:update', checked.patch);
        useClusterStore.getState().setIntervalS(saved.interval_s);
      }
      if (shell) {
        const { window_bounds: _bounds, rest_error: _restError, watch_url: _watched, ...prefs } = shell; // watching is set by "Watch a service" only
        await api.invoke('shell:updateSettings', prefs);
      }
      onClose();
    } catch (error) {
      // The service's refusal names fields too: each goes next to its field, once.
      const details = (error as { payload?: { details?: FieldError[] } }).payload?.details ?? [];
      const byField: Partial<Record<SettingsField, string>> = {};
      for (const d of details) if ((SETTINGS_FIELDS as readonly string[]).includes(d.field)) byField[d.field as SettingsField] ??= t('settings.error.other', { field: t(`settings.name.${d.field as SettingsField}`), message: translateMessage(d.message, d.code, d.params) });
      setErrors(byField);
      if (Object.keys(byField).length === 0) setFailure(t('settings.saveFailed', { error: (error as Error).message }));
    }
  };
  return (
    <div className="dialog-body">
      <h2>{t('settings.title')}</h2>
      {SETTINGS_FIELDS.map((f) => (
        <div className={errors[f] ? 'field invalid' : 'field'} key={f}>
          <label htmlFor={`s-${f}`}>{t(`settings.label.${f}`)}</label>
          <input
            id={`s-${f}`}
            inputMode="decimal"
            value={values[f] ?? ''}
            // Typing before the values arrive would be overwritten by them; a token below admin cannot change them.
            {...gate('settings:update', !current)}
            onChange={(e) => {
              const next = { ...values, [f]: e.target.value };
              setValues(next);
              if (left.has(f) || errors[f]) recheck(next, new Set([...left, f]));
            }}
            onBlur={() => {
              const shown = new Set([...left, f]);
              setLeft(shown);
              recheck(values, shown);
            }}
            aria-invalid={Boolean(errors[f])}
            aria-describedby={`s-${f}-source s-${f}-error`}
          />
          {sources && <p className="hint" id={`s-${f}-source`} data-source={sources[f]}>{t(`settings.source.${SOURCE_KEY[sources[f]]}`)}</p>}
          {errors[f] && <p className="error" role="alert" id={`s-${f}-error`} data-field={f}>{errors[f]}</p>}
        </div>
      ))}
      {shell && (
        <fieldset>
          <legend>{t('settings.desktop')}</legend>
          <label className="toggle"><input type="checkbox" checked={shell.notifications} onChange={(e) => setShell({ ...shell, notifications: e.target.checked })} /> {t('settings.notifications')}</label>
          <label className="toggle"><input type="checkbox" checked={shell.start_at_login} onChange={(e) => setShell({ ...shell, start_at_login: e.target.checked })} /> {t('settings.startAtLogin')}</label>
          {/* Watching a service, this app serves no REST API and no MCP of its own. */}
          {!shell.watch_url && <label className="toggle"><input type="checkbox" checked={shell.serve_rest_api} onChange={(e) => setShell({ ...shell, serve_rest_api: e.target.checked })} /> {t('settings.serveRest', { port: shell.rest_port })}</label>}
          {shell.rest_error && <p className="error" role="alert" data-testid="rest-error">{t('settings.restError', { message: shell.rest_error })}</p>}
          {!shell.watch_url && <label>
            {t('settings.policy')}{' '}
            <select value={shell.command_policy} onChange={(e) => setShell({ ...shell, command_policy: e.target.value as ShellSettings['command_policy'] })}>
              <option value="deny">{t('settings.policyDeny')}</option>
              <option value="ask">{t('settings.policyAsk')}</option>
              <option value="allow">{t('settings.policyAllow')}</option>
            </select>
          </label>}
        </fieldset>
      )}
      {shell && <WatchServicePanel watching={shell.watch_url} />}
      <AlertChannelsPanel />
      <PeersPanel />
      {principal.scope === 'admin' && <TokensPanel />}
      {failure && <p className="error" role="alert">{failure}</p>}
      <div className="buttons">
        <button onClick={onClose}>{t('common.cancel')}</button>
        <button className="primary" onClick={() => void save()} disabled={!current}>{t('common.save')}</button>
      </div>
    </div>
  );
}
