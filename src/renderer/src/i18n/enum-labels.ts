import type { ClusterState } from '../../../shared/schemas/health';
import type { HealthState, NodeRole } from '../../../shared/schemas/node';
import type { AlertChannelType } from '../../../shared/schemas/alerts';
import { i18n } from './setup-i18n';

// Every enum value a person sees goes through the catalogue: the table, filters and header ask per
// row and per update, so each label is looked up once per language.
const labels = new Map<string, string>();
function cached(key: string, fallback: string): string {
  const cacheKey = `${i18n.language}|${key}`;
  let label = labels.get(cacheKey);
  if (label === undefined) labels.set(cacheKey, (label = i18n.t(key as 'state.healthy', { defaultValue: fallback })));
  return label;
}

export const stateLabel = (state: HealthState | ClusterState): string => cached(`state.${state}`, state);
export const roleLabel = (role: NodeRole): string => cached(`role.${role}`, role);
export const channelTypeLabel = (type: AlertChannelType): string => cached(`channelType.${type}`, type);
/** Docker's states are open strings: one the catalogue lacks is shown as Docker says it. */
export const containerStateLabel = (state: string): string => cached(`containerState.${state}`, state);
export const containerHealthLabel = (health: string): string => cached(`containerHealth.${health}`, health);
