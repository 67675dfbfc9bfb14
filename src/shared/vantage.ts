import type { VantageView } from './schemas/health';
import type { HealthState } from './schemas/node';

/**
 * The counted monitors that see a node otherwise than decided: down while it is called up, or up while
 * it is called down ("down from mon-c only"). Null when every counted view agrees. The monitor's status
 * and the window's node marks read it alike.
 */
export function dissentOf(status: HealthState, vantage: readonly VantageView[] | undefined): { status: 'healthy' | 'unhealthy'; monitors: string[] } | null {
  if (!vantage || status === 'maintenance' || status === 'unknown') return null;
  const down = status === 'unhealthy';
  const monitors = vantage.filter((v) => v.counted && (v.status === 'unhealthy') !== down).map((v) => v.monitor);
  return monitors.length === 0 ? null : { status: down ? 'healthy' : 'unhealthy', monitors };
}
