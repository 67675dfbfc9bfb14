import type { TFunction } from 'i18next';
import type { z } from 'zod';
import { MonitorSettingsPatchSchema, MonitorTimingSchema, type MonitorSettings } from '../../../shared/schemas/settings';

export const SETTINGS_FIELDS = ['interval_s', 'timeout_s', 'failure_threshold', 'recovery_threshold', 'resume_grace_s'] as const;
export type SettingsField = (typeof SETTINGS_FIELDS)[number];

const isSeconds = (field: SettingsField) => field.endsWith('_s');

/** One message per zod issue, naming the field in words ("Interval must be a number of seconds"). */
function messageFor(field: SettingsField, issue: z.core.$ZodIssue, t: TFunction, values: Record<string, number>): string {
  const name = t(`settings.name.${field}`);
  if (field === 'timeout_s' && issue.code === 'custom') return t('settings.error.timeoutOverInterval', { interval: values.interval_s });
  if (issue.code === 'too_small') return t('settings.error.min', { field: name, min: Number(issue.minimum) });
  if (issue.code === 'too_big') return t('settings.error.max', { field: name, max: Number(issue.maximum) });
  if (issue.code === 'invalid_type' || issue.code === 'invalid_format') return t(isSeconds(field) ? 'settings.error.seconds' : 'settings.error.count', { field: name });
  return t('settings.error.other', { field: name, message: issue.message });
}

/**
 * Checks the settings form: each field is a number of the right kind within the shared schema's
 * bounds where it was changed, and the timeout fits in the interval (the same rule the service applies). Returns the
 * patch of changed fields, or one error per field.
 */
export function checkSettingsForm(
  values: Record<SettingsField, string>,
  current: MonitorSettings,
  t: TFunction,
): { ok: true; patch: Partial<MonitorSettings> } | { ok: false; errors: Partial<Record<SettingsField, string>> } {
  const errors: Partial<Record<SettingsField, string>> = {};
  const numbers: Record<string, number> = {};
  for (const field of SETTINGS_FIELDS) {
    const text = (values[field] ?? '').trim().replace(',', '.');
    const n = text === '' ? Number.NaN : Number(text);
    if (!Number.isFinite(n)) errors[field] = t(isSeconds(field) ? 'settings.error.seconds' : 'settings.error.count', { field: t(`settings.name.${field}`) });
    else numbers[field] = n;
  }
  // Only what the person changed is checked against the bounds: a value the service already holds
  // (pinned by its environment, or sub-second under TEST_TIMING) is not theirs to fix.
  const changed = Object.fromEntries(Object.entries(numbers).filter(([field, n]) => n !== current[field as SettingsField]));
  const parsed = MonitorSettingsPatchSchema.safeParse(changed);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as SettingsField;
      errors[field] ??= messageFor(field, issue, t, numbers);
    }
  }
  if (Object.keys(errors).length === 0) {
    const timing = MonitorTimingSchema.safeParse({ ...current, ...numbers });
    if (!timing.success) errors.timeout_s = messageFor('timeout_s', timing.error.issues[0], t, { ...current, ...numbers });
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const patch = Object.fromEntries(SETTINGS_FIELDS.filter((f) => numbers[f] !== current[f]).map((f) => [f, numbers[f]]));
  return { ok: true, patch };
}
