import type { HealthEvent } from '../../../shared/schemas/health';
import { i18n } from './setup-i18n';

/**
 * An event's reason in the window's language: by its code where the catalogue has it (the service
 * writes reasons in English), else as written.
 */
export function eventReason(event: Pick<HealthEvent, 'reason' | 'reason_code' | 'reason_params'>): string {
  const key = event.reason_code && `reasons.${event.reason_code}`;
  return key && i18n.exists(key) ? i18n.t(key, { ...event.reason_params, defaultValue: event.reason }) : event.reason;
}
