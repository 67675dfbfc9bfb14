import { eachHealth, healthAt, type HealthColumns } from '../../../shared/health-columns';
import type { NodeHealth } from '../../../shared/schemas/health';
import type { HealthState } from '../../../shared/schemas/node';

/** One sweep's columns, with each node's row, and the health objects read from them so far. */
class Sweep {
  private readonly objects = new Map<string, NodeHealth>();
  constructor(
    readonly columns: HealthColumns,
    readonly rows: Map<string, number>,
  ) {}

  static of(columns: HealthColumns, previous: Sweep | null): Sweep {
    const ids = columns.id;
    // A fleet's sweeps list the same ids in the same order: keep the previous row numbers then.
    let same = previous !== null && previous.columns.id.length === ids.length;
    for (let i = 0; same && i < ids.length; i++) same = ids[i] === previous!.columns.id[i];
    if (same) return new Sweep(columns, previous!.rows);
    const rows = new Map<string, number>();
    for (let i = 0; i < ids.length; i++) rows.set(ids[i], i);
    return new Sweep(columns, rows);
  }

  get(id: string): NodeHealth | undefined {
    let health = this.objects.get(id);
    if (health) return health;
    const row = this.rows.get(id);
    if (row === undefined) return undefined;
    // Built once per node and sweep, so a row memoised on its health object keeps it until the next sweep.
    this.objects.set(id, (health = healthAt(this.columns, row)));
    return health;
  }
}

/**
 * Every node's health as the page holds it: the latest whole-fleet sweep, read lazily from its
 * columns, with single-node updates and the snapshot's values on top. After a sweep of 5,000 nodes
 * the page builds health objects only for the rows it draws, not for every node.
 *
 * Immutable: each update makes a new index (components compare by identity), sharing what did not change.
 */
export class HealthIndex {
  static readonly EMPTY = new HealthIndex(null, new Map());

  private constructor(
    private readonly sweep: Sweep | null,
    /** Read before the sweep; `null` hides a node the sweep still lists (removed from the page meanwhile). */
    private readonly overrides: ReadonlyMap<string, NodeHealth | null>,
  ) {}

  static of(entries: Iterable<readonly [string, NodeHealth]>): HealthIndex {
    return new HealthIndex(null, new Map(entries));
  }

  get(id: string): NodeHealth | undefined {
    const override = this.overrides.get(id);
    if (override !== undefined) return override ?? undefined;
    return this.sweep?.get(id);
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  /** A node's state without building its health object (sorting and filtering read every node). */
  status(id: string): HealthState | undefined {
    const override = this.overrides.size === 0 ? undefined : this.overrides.get(id);
    if (override !== undefined) return override?.status;
    const row = this.sweep?.rows.get(id);
    return row === undefined ? undefined : this.sweep!.columns.status[row]!;
  }

  /** The index after a health push; nodes for which `known` is false are left out. */
  withColumns(columns: HealthColumns, known: (id: string) => boolean): HealthIndex {
    const ids = columns.id;
    if (ids.length === 0) return this;
    // A push about a few nodes (a check on demand) goes on top of the sweep the page has.
    if (ids.length < (this.sweep?.columns.id.length ?? 0) / 2) {
      const overrides = new Map(this.overrides);
      eachHealth(columns, (id, health) => known(id) && overrides.set(id, health));
      return new HealthIndex(this.sweep, overrides);
    }
    const sweep = Sweep.of(columns, this.sweep);
    const overrides = new Map<string, NodeHealth | null>();
    // What the new sweep does not cover stays as it was.
    for (const [id, health] of this.overrides) if (health && !sweep.rows.has(id)) overrides.set(id, health);
    if (this.sweep && this.sweep.rows !== sweep.rows) {
      for (const id of this.sweep.rows.keys()) {
        const health = sweep.rows.has(id) || overrides.has(id) ? undefined : this.get(id);
        if (health) overrides.set(id, health);
      }
    }
    for (const id of ids) if (!known(id)) overrides.set(id, null);
    return new HealthIndex(sweep, overrides);
  }

  with(id: string, health: NodeHealth | null): HealthIndex {
    return new HealthIndex(this.sweep, new Map(this.overrides).set(id, health));
  }

  without(id: string): HealthIndex {
    return this.with(id, null);
  }
}
