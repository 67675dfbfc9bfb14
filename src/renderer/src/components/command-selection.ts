import type { CommandTarget } from '../../../shared/schemas/ssh';

export interface CommandSelection {
  included: CommandTarget[];
  excluded: CommandTarget[];
  /** Nodes a run leaves out unless asked: unhealthy, or in maintenance. */
  risky: CommandTarget[];
  /** Included masters: running on them asks for confirmation. */
  masters: CommandTarget[];
}

/** Which nodes a command runs on: unhealthy and maintenance nodes only when `includeRisky`. */
export function commandSelection(targets: CommandTarget[], includeRisky: boolean): CommandSelection {
  const risky = targets.filter((t) => t.maintenance || t.state === 'maintenance' || t.state === 'unhealthy');
  const included = includeRisky ? targets : targets.filter((t) => !risky.includes(t));
  return {
    included,
    excluded: targets.filter((t) => !included.includes(t)),
    risky,
    masters: included.filter((t) => t.role === 'master'),
  };
}
