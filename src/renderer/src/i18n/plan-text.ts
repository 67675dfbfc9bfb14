import type { PlanNote, ServicePlan } from '../../../shared/schemas/workloads';
import { formatNumber } from './format';
import { i18n } from './setup-i18n';

// A plan's reasons and summary in the window's language, by their codes and values; a code this
// window does not know (a newer service) is shown as the service wrote it.

const t = (key: string, values: object = {}): string => (i18n.t as (k: string, v: object) => string)(key, values);
const role = (r: string): string => (i18n.exists(`role.${r}`) ? t(`role.${r}`) : r);

/** The catalogue key of a note: a placement or an unavailability reads differently by what it names. */
function keyOf(note: PlanNote): string {
  if (note.code === 'placement') return note.params.tags ? 'placement_tags' : note.params.constraints ? 'placement_constraints' : note.params.role ? 'placement_role' : 'placement_norole';
  if (note.code === 'unavailable') return ['drain', 'pause', 'not_in_swarm'].includes(String(note.params.state)) ? `unavailable_${note.params.state}` : 'unavailable_other';
  return note.code;
}

export function planNoteText(note: PlanNote): string {
  const key = `plan.note.${keyOf(note)}`;
  if (!i18n.exists(key)) return note.message;
  const p = note.params;
  return t(key, { ...p, ...(p.role !== undefined ? { role: role(String(p.role)) } : {}), ...(p.roles !== undefined ? { roles: String(p.roles).split(', ').map(role).join(', ') } : {}) });
}

export function planSummaryText(plan: Pick<ServicePlan, 'fits' | 'wanted' | 'mode'>): string {
  if (plan.mode === 'global') return plan.wanted === 0 ? t('plan.summaryNoNode') : t('plan.summaryGlobal', { fits: plan.fits, wanted: plan.wanted });
  return t('plan.summary', { fits: plan.fits, wanted: plan.wanted });
}

export function planSuggestionText(plan: Pick<ServicePlan, 'suggestion'>): string[] {
  const s = plan.suggestion;
  if (!s) return [];
  return [
    ...(s.cpus !== null ? [t('plan.suggestionCpu', { cpus: formatNumber(s.cpus, 2), fits: s.fits })] : []),
    ...(s.memory_mb !== null ? [t('plan.suggestionMemory', { mb: formatNumber(s.memory_mb), fits: s.fits })] : []),
  ];
}
