import { useEffect, useState } from 'react';
import type { MonitorSettings } from '../../../shared/schemas/settings';
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

export function SettingsDialog({ onClose }: { onClose(): void }) {
  const api = useClusterStore((s) => s.api)!;
  const [values, setValues] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  useEffect(() => {
    void api.invoke('settings:get', {}).then((s) => setValues(Object.fromEntries(FIELDS.map((f) => [f.key, String(s[f.key])]))));
  }, [api]);
  const save = async () => {
    const patch = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Number(v)]));
    const result = MonitorSettingsPatchSchema.safeParse(patch);
    if (!result.success) return setErrors(Object.fromEntries(fieldErrors(result.error).map((e) => [e.field, e.message])));
    await api.invoke('settings:update', result.data);
    onClose();
  };
  return (
    <div className="dialog-body">
      <h2>Settings</h2>
      {FIELDS.map((f) => (
        <div className="field" key={f.key}>
          <label htmlFor={`s-${f.key}`}>{f.label}</label>
          <input id={`s-${f.key}`} value={values[f.key] ?? ''} onChange={(e) => setValues({ ...values, [f.key]: e.target.value })} />
          {errors[f.key] && <p className="error" role="alert">{f.label}: {errors[f.key]}</p>}
        </div>
      ))}
      <div className="buttons">
        <button onClick={onClose}>Cancel</button>
        <button className="primary" onClick={save}>Save</button>
      </div>
    </div>
  );
}
