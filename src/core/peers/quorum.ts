import type { HealthState } from '../../shared/schemas/node';
import type { Vantage } from '../../shared/schemas/peers';

// A node's state decided by the monitors that can tell (issue 42, item 2): a monitor whose
// self-outage guard fired, or whose last view is older than two of its check intervals, does not
// vote; nor does one whose own view of the node is unknown. Unhealthy when at least the quorum of the
// voters see it unhealthy, degraded when at least the quorum see it unhealthy or degraded, else
// healthy. Maintenance is the node's own setting and needs no vote. Every monitor that holds the same
// views computes the same state. Not acted on yet: GET /cluster/peers shows where it differs from this
// monitor's own view.

export interface QuorumVote {
  monitor: string;
  status: HealthState;
}

export interface QuorumDecision {
  status: HealthState;
  /** Who voted, and how many of them it took. */
  voters: QuorumVote[];
  needed: number;
  /** No other monitor voted: this monitor decided alone. */
  alone: boolean;
}

/** The votes that count now: fresh (at most two check intervals old) and from monitors that can tell. */
export function freshViews(views: Vantage[], now: number): Vantage[] {
  return views.filter((v) => !v.offline && now - Date.parse(v.at) <= 2 * v.interval_s * 1000);
}

/**
 * The state of node `id` from this monitor's own view and its peers' fresh views. `quorum` is the
 * QUORUM setting (default: a majority of the voters); 1 keeps a single monitor's verdict.
 */
export function decideNode(id: string, own: Vantage, peers: Vantage[], now: number, quorum?: number): QuorumDecision {
  const views = [own, ...freshViews(peers, now)].filter((v, i) => i === 0 || v.monitor !== own.monitor);
  const mine = own.nodes.find((n) => n.id === id)?.status ?? 'unknown';
  if (mine === 'maintenance') return { status: 'maintenance', voters: [], needed: 0, alone: views.length === 1 };
  const voters = (own.offline ? views.slice(1) : views)
    .map((v) => ({ monitor: v.monitor, status: v.nodes.find((n) => n.id === id)?.status ?? 'unknown' }))
    .filter((v) => v.status !== 'unknown' && v.status !== 'maintenance');
  const alone = views.length === 1;
  if (voters.length === 0) return { status: mine, voters, needed: 0, alone };
  const needed = Math.min(voters.length, Math.max(1, quorum ?? Math.floor(voters.length / 2) + 1));
  const unhealthy = voters.filter((v) => v.status === 'unhealthy').length;
  const notHealthy = voters.filter((v) => v.status === 'unhealthy' || v.status === 'degraded').length;
  const status: HealthState = unhealthy >= needed ? 'unhealthy' : notHealthy >= needed ? 'degraded' : 'healthy';
  return { status, voters, needed, alone };
}
