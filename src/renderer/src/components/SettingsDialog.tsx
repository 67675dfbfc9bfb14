import { useEffect, useState } from 'react';
import type { MonitorSettings, MonitorSettingSources, SettingSource, ShellSettings } from '../../../shared/schemas/settings';
import { MonitorSettingsPatchSchema } from '../../../shared/schemas/settings';
import { fieldErrors } from '../../../shared/errors';
import { useClusterStore } from '../store/cluster-store';

const FIELDS: Array<{ key: keyof MonitorSettings; label: string }> = [
  { key: 'interval_s', label: 'Check interval (s)' },
  { key: 'timeout_s', label: 'Probe timeout (s)' },
  { key: 'failure_threshold', label: 'Failures before unhealthy' },
  { key: 'recovery_threshold', label: 'Successes before healthy again' },
  { key: 'resume_grace_s', label: 'Grace after sleep (s)' },
];

const SOURCE_TEXT: Record<SettingSource, string> = {
  default: 'default',
  saved: 'saved here',
  environment: 'set by the environment (wins over saved values at start)',
  flag: 'set by a command-line flag (wins over saved values at start)',
  '.env file': 'set in .env (wins over saved values at start)',
  demo: 'set by the demo',
};

export function SettingsDialog({ onClose }: { onClose(): void }) {
  const api = useClusterStore((s) => s.api)!;
  const [values, setValues] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  // Desktop-only preferences; the web UI has none (the call answers "unavailable").
  const [shell, setShell] = useState<ShellSettings | null>(null);
  const [sources, setSources] = useState<MonitorSettingSources | null>(null);
  useEffect(() => {
    void api.invoke('settings:sources', {}).then(setSources, () => setSources(null));
    void api.invoke('settings:get', {}).then((s) => setValues(Object.fromEntries(FIELDS.map((f) => [f.key, String(s[f.key])]))));
    void api.invoke('shell:settings', {}).then(setShell, () => setShell(null));
  }, [api]);
  const save = async () => {
    const patch = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Number(v)]));
    const result = MonitorSettingsPatchSchema.safeParse(patch);
    if (!result.success) return setErrors(Object.fromEntries(fieldErrors(result.error).map((e) => [e.field, e.message])));
    await api.invoke('settings:update', result.data);
    if (shell) {
      const { window_bounds: _bounds, ...prefs } = shell;
      await api.invoke('shell:updateSettings', prefs);
    }
    onClose();
  };
  return (
    <div className="dialog-body">
      <h2>Settings</h2>
      {FIELDS.map((f) => (
        <div className="field" key={f.key}>
          <label htmlFor={`s-${f.key}`}>{f.label}</label>
          <input id={`s-${f.key}`} value={values[f.key] ?? ''} onChange={(e) => setValues({ ...values, [f.key]: e.target.value })} aria-describedby={`s-${f.key}-source`} />
          {sources && <p className="hint" id={`s-${f.key}-source`} data-source={sources[f.key]}>{SOURCE_TEXT[sources[f.key]]}</p>}
          {errors[f.key] && <p className="error" role="alert">{f.label}: {errors[f.key]}</p>}
        </div>
      ))}
      {shell && (
        <fieldset>
          <legend>Desktop</legend>
          <label className="toggle"><input type="checkbox" checked={shell.notifications} onChange={(e) => setShell({ ...shell, notifications: e.target.checked })} /> Notifications</label>
          <label className="toggle"><input type="checkbox" checked={shell.start_at_login} onChange={(e) => setShell({ ...shell, start_at_login: e.target.checked })} /> Start at login (hidden)</label>
          <label className="toggle"><input type="checkbox" checked={shell.serve_rest_api} onChange={(e) => setShell({ ...shell, serve_rest_api: e.target.checked })} /> Serve the REST API on 127.0.0.1:{shell.rest_port} (after restart)</label>
          <label>
            MCP destructive actions{' '}
            <select value={shell.command_policy} onChange={(e) => setShell({ ...shell, command_policy: e.target.value as ShellSettings['command_policy'] })}>
              <option value="deny">deny</option>
              <option value="ask">ask me</option>
              <option value="allow">allow</option>
            </select>
          </label>
        </fieldset>
      )}
      <div className="buttons">
        <button onClick={onClose}>Cancel</button>
        <button className="primary" onClick={save}>Save</button>
      </div>
    </div>
  );
}
