import type { TFunction } from 'i18next';
import type { Alert } from '../core/alerts/alert-policy';
import type { Notice } from './notifier';

const MAX_LISTED = 5;

/**
 * A desktop notification's words in the OS language, built from the alert's kind and nodes. The core's
 * English title and body still go to the alert channels (webhooks, e-mail) unchanged.
 */
export function localNotice(alert: Alert, t: TFunction): Notice {
  const ids = alert.nodes.map((n) => n.id);
  const listed = ids.length <= MAX_LISTED ? ids.join(', ') : t('tray.more', { ids: ids.slice(0, MAX_LISTED).join(', '), count: ids.length - MAX_LISTED });
  const reason = (id: string) => alert.nodes.find((n) => n.id === id)?.reason;
  const notice = (title: string, body: string): Notice => ({ title, body, nodeId: alert.nodeId });
  switch (alert.event) {
    case 'node_down': {
      if (ids.length !== 1) return notice(t('notify.nodesDown', { count: ids.length }), listed);
      const why = reason(ids[0]);
      return notice(t('notify.nodeDown', { id: ids[0] }), why ? t('notify.reason', { reason: why }) : '');
    }
    case 'node_recovered':
      return ids.length === 1 ? notice(t('notify.nodeRecovered', { id: ids[0] }), t('notify.recoveredBody')) : notice(t('notify.nodesRecovered', { count: ids.length }), listed);
    case 'monitor_offline':
      return notice(t('notify.monitorOffline'), t('notify.monitorOfflineBody'));
    case 'monitor_online':
      return notice(t('notify.monitorOnline'), t('notify.monitorOnlineBody'));
    case 'host_key_changed':
      return notice(t('notify.hostKeyChanged', { id: alert.nodeId ?? ids[0] ?? '' }), t('notify.hostKeyChangedBody'));
    case 'failover': {
      // The alert says what happened only in its English title (drained, active again, or an outcome).
      const id = alert.nodeId ?? ids[0] ?? '';
      const body = reason(id) ? t('notify.reason', { reason: reason(id) }) : '';
      if (alert.title.endsWith(' drained in Swarm')) return notice(t('notify.failoverDrained', { id }), body);
      if (alert.title.endsWith(' active in Swarm again')) return notice(t('notify.failoverActive', { id }), body);
      return notice(t('notify.failoverOther', { id, outcome: alert.title.split(': failover ')[1] ?? '' }), body);
    }
    case 'service_pending':
      return notice(t('notify.servicePending', { name: alert.service?.name ?? '', count: alert.service?.pending ?? 0 }), alert.service?.reason ?? '');
    case 'service_placed':
      return notice(t('notify.servicePlaced', { name: alert.service?.name ?? '' }), '');
    case 'service_rolled_back':
      return notice(t('notify.serviceRolledBack', { name: alert.service?.name ?? '' }), alert.service?.reason ?? '');
    case 'test':
      return notice(t('notify.test', { name: t('app.name') }), t('notify.testBody'));
  }
}
