import type { HealthEvent, NodeHealth } from '../../../shared/schemas/health';
import type { ProbeResult } from '../../../shared/schemas/probe';
import { i18n } from './setup-i18n';
import { planNoteText, planSummaryText } from './plan-text';

/**
 * An event's reason in the window's language: by its code where the catalogue has it (the service
 * writes reasons in English), else as written.
 */
export function eventReason(event: Pick<HealthEvent, 'reason' | 'reason_code' | 'reason_params'>): string {
  return reasonText(event.reason_code, event.reason_params, event.reason);
}

/** A node's last check error in the window's language (the same codes as event reasons). */
export function healthError(health: Pick<NodeHealth, 'error' | 'error_code' | 'error_params'>): string | null {
  return health.error === null ? null : reasonText(health.error_code, health.error_params, health.error);
}

/** One probe's failure in the window's language, by its reason code and target. */
export function probeError(probe: Pick<ProbeResult, 'error' | 'reason' | 'target' | 'status_code'>): string {
  return reasonText(probe.reason, { target: probe.target, ...(probe.status_code !== undefined ? { status: probe.status_code } : {}) }, probe.error ?? '');
}

function reasonText(code: string | null | undefined, params: Record<string, string | number> | null | undefined, written: string): string {
  if (code === 'service_pending' && params && typeof params.wanted === 'number' && i18n.exists('reasons.service_pending_plan')) return pendingText(params);
  const key = code && `reasons.${code}`;
  return key && i18n.exists(key) ? i18n.t(key, { ...params, defaultValue: written }) : written;
}

/** A pending service by its plan's values (service-watch.ts): how many would fit, and the first node's reason. */
function pendingText(params: Record<string, string | number>): string {
  const noteParams = Object.fromEntries(Object.entries(params).filter(([k]) => k.startsWith('note.')).map(([k, v]) => [k.slice(5), v]));
  const said = typeof params.note_code === 'string' ? planNoteText({ code: params.note_code, params: noteParams, message: '' }) : '';
  const plan = planSummaryText({ fits: Number(params.fits ?? 0), wanted: Number(params.wanted), mode: 'replicated' });
  return i18n.t('reasons.service_pending_plan', { ...params, plan, note: said ? i18n.t('reasons.pending_note', { node: params.note_node, said }) : '' });
}
