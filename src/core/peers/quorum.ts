import type { VantageView } from '../../shared/schemas/health';
import type { HealthState } from '../../shared/schemas/node';
import type { Vantage } from '../../shared/schemas/peers';

// A node's state decided by the monitors that can tell (issue 42, item 2): a monitor whose
// self-outage guard fired, or whose last view is older than two of its check intervals, does not
// vote; nor does one whose own view of the node is unknown. Unhealthy when at least the quorum of the
// voters see it unhealthy, degraded when at least the quorum see it unhealthy or degraded, else
// healthy. Maintenance is the node's own setting and needs no vote. Every monitor that holds the same
// views computes the same state.

export interface QuorumDecision {
  status: HealthState;
  /** Every monitor's view of the node, this one's first, each marked whether it counted. */
  vantage: VantageView[];
  /** Counted votes the state needed (0 when nobody could vote). */
  needed: number;
  /** No other monitor's view came in fresh: this monitor decided alone. */
  alone: boolean;
}

/** A vote is fresh while at most two of its monitor's check intervals old. */
export const isFresh = (view: Pick<Vantage, 'at' | 'interval_s'>, now: number): boolean => now - Date.parse(view.at) <= 2 * view.interval_s * 1000;

/**
 * The state of one node from this monitor's own view (`own`, first) and its peers' views of it.
 * `offline`/`fresh` say whether each view may vote; `quorum` is the QUORUM setting (default: a
 * majority of the voters; 1 keeps a single monitor's verdict).
 */
export function decide(views: Array<Omit<VantageView, 'counted'> & { may_vote: boolean }>, quorum?: number): QuorumDecision {
  const own = views[0]!;
  const alone = !views.slice(1).some((v) => v.may_vote);
  const vantage = views.map(({ may_vote, ...view }) => ({ ...view, counted: may_vote && view.status !== 'unknown' && view.status !== 'maintenance' }));
  if (own.status === 'maintenance') return { status: 'maintenance', vantage: vantage.map((v) => ({ ...v, counted: false })), needed: 0, alone };
  const voters = vantage.filter((v) => v.counted);
  if (voters.length === 0) return { status: own.status, vantage, needed: 0, alone };
  const needed = Math.min(voters.length, Math.max(1, quorum ?? Math.floor(voters.length / 2) + 1));
  const unhealthy = voters.filter((v) => v.status === 'unhealthy').length;
  const notHealthy = voters.filter((v) => v.status === 'unhealthy' || v.status === 'degraded').length;
  const status: HealthState = unhealthy >= needed ? 'unhealthy' : notHealthy >= needed ? 'degraded' : 'healthy';
  return { status, vantage, needed, alone };
}
