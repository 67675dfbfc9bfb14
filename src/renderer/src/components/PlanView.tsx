import { useTranslation } from 'react-i18next';
import type { PlanNode, ServicePlan } from '../../../shared/schemas/workloads';
import { formatNumber } from '../i18n/format';
import { planNoteText, planSuggestionText, planSummaryText } from '../i18n/plan-text';

/** Each node's share of a plan: the tasks it would take, what it has free, and why it takes no more. */
export function PlanNodes({ nodes, showFits = true }: { nodes: PlanNode[]; showFits?: boolean }) {
  const { t } = useTranslation();
  return (
    <ul className="plan-nodes">
      {nodes.map((n) => (
        <li key={n.id} data-plan-node={n.id} data-fits={n.fits}>
          <span className="mono">{n.id}</span>
          {showFits && <strong> {n.fits > 0 ? t('plan.takes', { count: n.fits }) : t('plan.none')}</strong>}
          {n.swarm_node && <span className="muted"> · {t('plan.free', { cpus: formatNumber(n.free.cpus, 2), mb: formatNumber(n.free.memory_mb) })}</span>}
          {n.reasons.map((r, i) => <div key={i} className="plan-reason" data-code={r.code}>{planNoteText(r)}</div>)}
          {n.warnings.map((w, i) => <div key={`w${i}`} className="plan-warning" data-code={w.code}>{planNoteText(w)}</div>)}
        </li>
      ))}
    </ul>
  );
}

/** A plan before a deploy: how many fit, where, and what stands in the way. */
export function PlanView({ plan }: { plan: ServicePlan }) {
  const { t } = useTranslation();
  const short = plan.fits < plan.wanted || plan.conflicts.length > 0;
  return (
    <section className={`plan${short ? ' plan-short' : ''}`} data-testid="plan" aria-live="polite" aria-label={t('plan.title')}>
      <h3>{t('plan.title')}: <span data-testid="plan-summary">{planSummaryText(plan)}</span></h3>
      {plan.conflicts.map((c, i) => <p key={i} className="error" data-code={c.code}>{planNoteText(c)}</p>)}
      {planSuggestionText(plan).map((line) => <p key={line} className="muted" data-testid="plan-suggestion">{line}</p>)}
      <PlanNodes nodes={plan.nodes} />
    </section>
  );
}
