import type { ApiErrorPayload } from '../../../shared/api-contract';
import { translateMessage } from './field-error-text';
import { i18n } from './setup-i18n';

type Params = Record<string, string | number>;

/** The sentences a reason may be said by: the service's errors, then a probe's failures (refused, timeout, …). */
const keyOf = (code: string): string | null => [`errors.${code}`, `reasons.${code}`].find((key) => i18n.exists(key)) ?? null;

/** Reasons whose sentence names another failure: without words for that one, the English is shown. */
const WITH_CAUSE = new Set(['no_swarm_manager', 'ssh_failed']);

/** A reason's sentence, or null when the catalogue has none for it. */
function reasonText(code: string, params: Params): string | null {
  const key = keyOf(code);
  if (!key) return null;
  const t = i18n.t as (key: string, values: object) => string;
  // A failure caused by another says that one (`cause_code` and its `cause.*` values) in words too.
  if (WITH_CAUSE.has(code)) {
    const causeParams = Object.fromEntries(Object.entries(params).filter(([k]) => k.startsWith('cause.')).map(([k, v]) => [k.slice(6), v]));
    const cause = typeof params.cause_code === 'string' ? reasonText(params.cause_code, causeParams) : null;
    if (cause === null) return null;
    const count = Number(params.count ?? 1);
    return t(key, { ...params, cause, more: count > 1 ? t('errors.and_more', { count: count - 1 }) : '' });
  }
  return t(key, params);
}

/**
 * An error from the service in the window's language: by its reason (`errors.<reason_code>`), or,
 * for refused fields outside English, each field's rule in words; else as the service said it.
 */
export function localizedError(payload: ApiErrorPayload): string {
  if (!i18n.isInitialized) return payload.message;
  const byReason = payload.reason_code ? reasonText(payload.reason_code, payload.reason_params ?? {}) : null;
  if (byReason !== null) return byReason;
  if (payload.error === 'validation_error' && payload.details.length > 0 && !i18n.language.startsWith('en')) {
    return payload.details.map((d) => `${d.field}: ${translateMessage(d.message, d.code, d.params)}`).join('; ');
  }
  return payload.message;
}
