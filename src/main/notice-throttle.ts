import { DEFAULT_GROUP_WINDOW_MS, groupAlerts, type Alert } from '../core/alerts/alert-policy';

const MAX_HELD = 4000;

/**
 * Notifications from a watched service, at the pace of local mode: the first alert after a quiet
 * window shows at once; those that follow within the window are held and shown at its end, one per
 * kind, grouped as the alert policy groups (so a service that pushes 2,000 alerts shows a handful).
 */
export function throttleNotices(show: (alert: Alert) => void, windowMs = DEFAULT_GROUP_WINDOW_MS): { push(alert: Alert): void; close(): void } {
  let held: Alert[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    const due = groupAlerts(held);
    held = [];
    due.forEach(show);
    // Anything shown starts another window; a quiet one ends the throttle.
    timer = due.length > 0 ? setTimeout(flush, windowMs) : null;
  };
  return {
    push(alert) {
      if (timer) {
        held.push(alert);
        if (held.length > MAX_HELD) held = held.slice(-MAX_HELD / 2); // a flood: the newest say enough
        return;
      }
      show(alert);
      timer = setTimeout(flush, windowMs);
    },
    close() {
      if (timer) clearTimeout(timer);
      timer = null;
      held = [];
    },
  };
}
