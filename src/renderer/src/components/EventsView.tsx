import { Fragment, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { HealthEventSchema } from '../../../shared/schemas/health';
import type { AuditEntry } from '../../../shared/schemas/ssh';
import { useClusterStore } from '../store/cluster-store';
import { formatDateTime, formatWhen } from '../i18n/format';
import { stateLabel } from '../i18n/enum-labels';
import { eventReason } from '../i18n/event-reason';
import { auditLine } from '../i18n/audit-text';
import type { HealthState } from '../../../shared/schemas/node';

const KINDS = [...HealthEventSchema.shape.kind.options, 'audit'] as const;
type Kind = (typeof KINDS)[number];
/** The audit has no push: read again this often while the view is open. */
const AUDIT_REFRESH_MS = 5000;
const AUDIT_LIMIT = 500;

interface Row {
  key: string;
  at: string;
  kind: Kind;
  nodes: string[];
  text: string;
}

const label = (state: string | null): string => (state ? stateLabel(state as HealthState) : '—');

/**
 * The event log (pushed as it happens) and the audit (read every few seconds) in one list, newest
 * first, filtered by kind and node: what the monitor saw beside what people and agents did.
 */
export function EventsView() {
  const { t } = useTranslation();
  const api = useClusterStore((s) => s.api)!;
  const events = useClusterStore((s) => s.events);
  const nodes = useClusterStore((s) => s.nodes);
  const [audit, setAudit] = useState<AuditEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [kind, setKind] = useState<Kind | ''>('');
  const [node, setNode] = useState('');

  useEffect(() => {
    let stopped = false;
    const read = () =>
      api.invoke('audit:list', { limit: AUDIT_LIMIT }).then(
        (entries) => !stopped && (setAudit(entries), setError(null)),
        (e: Error) => !stopped && setError(e.message),
      );
    void read();
    const timer = setInterval(() => void read(), AUDIT_REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [api]);

  const rows = useMemo(() => {
    const all: Row[] = [
      ...events.map((e) => ({
        key: `e${e.seq}`,
        at: e.at,
        kind: e.kind,
        nodes: e.node ? [e.node] : [],
        text: e.kind === 'transition' ? t('events.transitionLine', { from: label(e.from), to: label(e.to), reason: eventReason(e) }) : eventReason(e),
      })),
      ...audit.map((a, i) => ({ key: `a${i}-${a.at}`, at: a.at, kind: 'audit' as const, nodes: a.nodes, text: auditLine(a) })),
    ];
    return all.filter((r) => (!kind || r.kind === kind) && (!node || r.nodes.includes(node))).sort((a, b) => b.at.localeCompare(a.at));
  }, [events, audit, kind, node, t]);

  return (
    <main className="events-view" aria-label={t('events.title')} data-testid="events-view">
      <p className="hint muted">{t('events.intro')}</p>
      <div className="filters">
        <label>
          {t('events.kind')}
          <select aria-label={t('events.kind')} value={kind} onChange={(e) => setKind(e.target.value as Kind | '')}>
            <option value="">{t('events.all')}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>{t(`events.kinds.${k}`)}</option>
            ))}
          </select>
        </label>
        <label>
          {t('events.node')}
          <select aria-label={t('events.node')} value={node} onChange={(e) => setNode(e.target.value)}>
            <option value="">{t('events.all')}</option>
            {[...nodes.keys()].sort().map((id) => (
              <option key={id} value={id}>{id}</option>
            ))}
          </select>
        </label>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {rows.length === 0 ? (
        <p className="muted">{t('events.none')}</p>
      ) : (
        <table className="events-table">
          <thead>
            <tr>
              <th>{t('events.time')}</th>
              <th>{t('events.kind')}</th>
              <th>{t('events.node')}</th>
              <th>{t('events.what')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} data-kind={r.kind}>
                <td title={formatDateTime(r.at)}>{formatWhen(r.at)}</td>
                <td>{t(`events.kinds.${r.kind}`)}</td>
                {/* A list of nodes wraps between ids, never inside one ("node-" / "07" on a phone). */}
                <td className="mono">{r.nodes.map((id, i) => <Fragment key={id}>{i > 0 && ', '}<span className="node-id">{id}</span></Fragment>)}</td>
                <td>{r.text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
