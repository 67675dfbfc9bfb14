import { isDeepStrictEqual } from 'node:util';
import { OrchestratorError, notFound, parseOrThrow } from '../../shared/errors';
import { NodePatchSchema, NodeSchema, type HealthState, type Node, type NodeFilter } from '../../shared/schemas/node';
import { ImportOptionsSchema, type ImportReport, type SeedDocument } from '../../shared/schemas/seed-format';
import { fieldErrors } from '../../shared/errors';
import { Emitter } from '../util/emitter';
import { filterNodes } from '../../shared/node-filter';
import { openStore, setAside, type ConfLike, type StoreFactory, type StoreRecovery } from './json-store';
import { CURRENT_SCHEMA_VERSION, migrate } from './store-migrations';
import { planSeedImport, toSeedDocument } from './seed-format';
import { assertAddressesFree, endpointKey } from './unique-address';

export type RegistryChange =
  | { type: 'added'; node: Node }
  | { type: 'updated'; node: Node; previous: Node }
  | { type: 'removed'; node: Node };

export interface RegistryOptions {
  dataDir: string;
  storeFactory: StoreFactory;
  /** Told about every store file set aside; defaults to a loud console.error. */
  onRecovery?: (recovery: StoreRecovery) => void;
}

export const NODES_STORE_NAME = 'nodes';

/** The node registry: validated CRUD over one durable store file. Memory changes only after the write returns. */
export class NodeRegistry {
  readonly events = new Emitter<{ change: RegistryChange }>();
  readonly recoveries: StoreRecovery[] = [];
  #nodes = new Map<string, Node>();
  readonly #conf: ConfLike;

  constructor(options: RegistryOptions) {
    const report = (recovery: StoreRecovery): void => {
      this.recoveries.push(recovery);
      (options.onRecovery ?? loudRecovery)(recovery);
    };
    const { conf, data } = openStore(options.storeFactory, { cwd: options.dataDir, configName: NODES_STORE_NAME }, report);
    this.#conf = conf;
    const { doc, migrated } = migrate(data);
    const rawNodes = (doc.nodes ?? {}) as Record<string, unknown>;
    const rejected: string[] = [];
    for (const [key, raw] of Object.entries(rawNodes)) {
      const parsed = NodeSchema.safeParse(raw);
      if (parsed.success && parsed.data.id === key) this.#nodes.set(key, parsed.data);
      else rejected.push(`${key} (${parsed.success ? 'id does not match key' : fieldErrors(parsed.error).map((e) => `${e.field}: ${e.message}`).join('; ')})`);
    }
    if (rejected.length > 0) {
      // Keep the original bytes before rewriting without the bad nodes.
      report(setAside(conf.path, `invalid nodes dropped: ${rejected.join(', ')}`, true));
    }
    if (migrated || rejected.length > 0) this.#persist(this.#nodes);
  }

  get path(): string {
    return this.#conf.path;
  }

  get size(): number {
    return this.#nodes.size;
  }

  get(id: string): Node | undefined {
    return this.#nodes.get(id);
  }

  require(id: string): Node {
    const node = this.#nodes.get(id);
    if (!node) throw notFound('Node', id);
    return node;
  }

  all(): Node[] {
    return [...this.#nodes.values()];
  }

  list(filter: NodeFilter = {}, stateOf?: (id: string) => HealthState): Node[] {
    return filterNodes(this.#nodes.values(), filter, stateOf);
  }

  create(input: unknown): Node {
    const node = parseOrThrow(NodeSchema, input);
    if (this.#nodes.has(node.id)) {
      throw new OrchestratorError('conflict', `Node "${node.id}" already exists`, [{ field: 'id', message: 'already exists' }]);
    }
    assertAddressesFree([...this.#nodes.values(), node], [node]);
    this.#commit(new Map(this.#nodes).set(node.id, node));
    this.events.emit('change', { type: 'added', node });
    return node;
  }

  update(id: string, patch: unknown): Node {
    const previous = this.require(id);
    if (patch && typeof patch === 'object' && 'id' in patch) {
      if ((patch as { id: unknown }).id !== id) {
        throw new OrchestratorError('validation_error', 'Invalid input — id: cannot be changed', [{ field: 'id', message: 'cannot be changed' }]);
      }
      const { id: _ignored, ...rest } = patch as Record<string, unknown>;
      patch = rest;
    }
    const changes = parseOrThrow(NodePatchSchema, patch);
    // Re-validate the merged node, so cross-field rules hold after a partial update too.
    const node = parseOrThrow(NodeSchema, { ...previous, ...changes });
    if (isDeepStrictEqual(node, previous)) return previous;
    if (endpointKey(node) !== endpointKey(previous)) assertAddressesFree(new Map(this.#nodes).set(id, node).values(), [node]);
    this.#commit(new Map(this.#nodes).set(id, node));
    this.events.emit('change', { type: 'updated', node, previous });
    return node;
  }

  remove(id: string): Node {
    const node = this.require(id);
    const next = new Map(this.#nodes);
    next.delete(id);
    this.#commit(next);
    this.events.emit('change', { type: 'removed', node });
    return node;
  }

  /** Seed-format import: all or nothing unless `skip_invalid`; `dry_run` only reports. */
  importSeed(document: unknown, options: unknown = {}): ImportReport {
    const opts = parseOrThrow(ImportOptionsSchema, options);
    const { report, changes } = planSeedImport(document, this.#nodes);
    if (opts.dry_run || (report.invalid.length > 0 && !opts.skip_invalid) || changes.length === 0) return report;
    this.applyNodes(changes);
    report.applied = true;
    return report;
  }

  /** Adds or replaces many validated nodes in one durable write (imports). */
  applyNodes(nodes: Node[]): void {
    const next = new Map(this.#nodes);
    for (const node of nodes) next.set(node.id, node);
    assertAddressesFree(next.values(), nodes);
    const before = this.#nodes;
    this.#commit(next);
    for (const node of nodes) {
      const previous = before.get(node.id);
      this.events.emit('change', previous ? { type: 'updated', node, previous } : { type: 'added', node });
    }
  }

  /** Removes every node `which` picks in one durable write; answers their ids. */
  removeWhere(which: (node: Node) => boolean): string[] {
    const gone = [...this.#nodes.values()].filter(which);
    if (gone.length === 0) return [];
    const next = new Map(this.#nodes);
    for (const node of gone) next.delete(node.id);
    this.#commit(next);
    for (const node of gone) this.events.emit('change', { type: 'removed', node });
    return gone.map((n) => n.id);
  }

  exportSeed(): SeedDocument {
    return toSeedDocument(this.#nodes.values());
  }

  #commit(next: Map<string, Node>): void {
    this.#persist(next); // throws before memory changes if the write fails
    this.#nodes = next;
  }

  #persist(nodes: Map<string, Node>): void {
    this.#conf.store = { schema_version: CURRENT_SCHEMA_VERSION, nodes: Object.fromEntries(nodes) };
  }
}

function loudRecovery(recovery: StoreRecovery): void {
  console.error(
    `\n!!! Store file ${recovery.file} ${recovery.reason}.\n!!! The original was kept at ${recovery.moved_to}; nothing was deleted.\n`,
  );
}
