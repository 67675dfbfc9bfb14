import type { HealthEvent, NodeHealth } from '../../../shared/schemas/health';
import type { ProbeResult } from '../../../shared/schemas/probe';
import { i18n } from './setup-i18n';

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
  const key = code && `reasons.${code}`;
  return key && i18n.exists(key) ? i18n.t(key, { ...params, defaultValue: written }) : written;
}
