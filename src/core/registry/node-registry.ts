import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { OrchestratorError, notFound, parseOrThrow } from '../../shared/errors';
import { NodePatchSchema, NodeSchema, type HealthState, type Node, type NodeFilter } from '../../shared/schemas/node';
import { ImportOptionsSchema, type ImportReport, type SeedDocument } from '../../shared/schemas/seed-format';
import { fieldErrors } from '../../shared/errors';
import { Emitter } from '../util/emitter';
import { filterNodes } from '../../shared/node-filter';
import { openStore, setAside, type ConfLike, type StoreFactory, type StoreRecovery } from './json-store';
import { CURRENT_SCHEMA_VERSION, migrate } from './store-migrations';
import { changedFields, planSeedImport, toSeedDocument } from './seed-format';
import { addressTaken, assertAddressesFree, endpointKey } from './unique-address';
import { RegistryJournal, type JournalOp } from './registry-journal';
import { writeFileDurablyAsync } from '../util/durable-write';

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
/** What an operator changes on a node in any mode: operations, not the fleet's definition. */
export const OPERATIONAL_FIELDS: ReadonlySet<string> = new Set(['maintenance', 'muted_until']);
export const JOURNAL_FILE = 'nodes.journal.jsonl';
/** The journal's lines while a new snapshot is written from them (removed once it is). */
export const FOLDING_FILE = 'nodes.journal.folding.jsonl';
/** Journal lines before they are folded into a new snapshot: the rewrite is paid once per this many changes. */
const COMPACT_AFTER = 1000;
/** …and this long after the last change. */
const QUIET_MS = 1000;

/**
 * The node registry: validated CRUD over a durable snapshot (nodes.json) and a journal of the changes
 * since (so one more node at 10,000 appends a line rather than rewriting them all). Memory changes
 * only after the write returns.
 */
export class NodeRegistry {
  readonly events = new Emitter<{ change: RegistryChange }>();
  readonly recoveries: StoreRecovery[] = [];
  #nodes = new Map<string, Node>();
  /** Address and SSH port → node id, kept beside the map so a create checks one key, not every node. */
  #endpoints = new Map<string, string>();
  #endpointOf = new Map<string, string>();
  readonly #conf: ConfLike;
  readonly #journal: RegistryJournal | null;
  readonly #foldingFile: string;
  #folding: Promise<void> | null = null;
  #quietTimer: NodeJS.Timeout | null = null;
  /** In nodes-file sync mode, the file that defines the fleet; writes here then answer 409 naming it. */
  #definedBy: string | null = null;

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
    // In-memory stores (tests, the bench) have no file to keep a journal beside. The journal holds
    // changes since the snapshot: without that snapshot (set aside as corrupt) it would rebuild a
    // partial registry, so it is set aside with it.
    const onDisk = conf.path !== ':memory:';
    const journalFile = path.join(path.dirname(conf.path), JOURNAL_FILE);
    this.#foldingFile = path.join(path.dirname(conf.path), FOLDING_FILE);
    const snapshotLost = this.recoveries.length > 0;
    if (onDisk && snapshotLost) {
      for (const file of [this.#foldingFile, journalFile]) {
        if (fs.existsSync(file) && fs.statSync(file).size > 0) report(setAside(file, 'holds changes to the snapshot that was set aside'));
      }
    }
    this.#journal = onDisk ? new RegistryJournal(journalFile) : null;
    // A fold that did not finish (a kill while the snapshot was written) left its lines: they come first.
    const replayed = this.#journal && !snapshotLost ? this.#replay([...new RegistryJournal(this.#foldingFile).read(), ...this.#journal.read()], rejected) : 0;
    if (rejected.length > 0) {
      // Keep the original bytes before rewriting without the bad nodes.
      report(setAside(conf.path, `invalid nodes dropped: ${rejected.join(', ')}`, true));
    }
    this.#reindex();
    const noSnapshotYet = this.#journal !== null && !fs.existsSync(conf.path);
    if (migrated || rejected.length > 0 || replayed > 0 || noSnapshotYet) {
      try {
        this.#snapshot(this.#nodes);
      } catch {
        /* a full disk must not stop the start: the journals still hold every change */
      }
    }
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

  /**
   * Makes `file` the fleet's source of truth (null: this registry again). Adding, editing and removing
   * nodes then answer 409 naming the file; muting and maintenance stay, as they are operations, not the fleet.
   */
  defineBy(file: string | null): void {
    this.#definedBy = file;
  }

  get definedBy(): string | null {
    return this.#definedBy;
  }

  create(input: unknown): Node {
    this.#guard('add nodes');
    const node = parseOrThrow(NodeSchema, input);
    if (this.#nodes.has(node.id)) {
      throw new OrchestratorError('conflict', `Node "${node.id}" already exists`, [{ field: 'id', message: 'already exists' }]);
    }
    const owner = this.#endpoints.get(endpointKey(node));
    if (owner !== undefined) throw addressTaken(node, owner);
    this.#commit([{ op: 'put', node }]);
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
    if (Object.keys(changes).some((key) => !OPERATIONAL_FIELDS.has(key))) this.#guard('edit nodes');
    // Re-validate the merged node, so cross-field rules hold after a partial update too.
    const node = parseOrThrow(NodeSchema, { ...previous, ...changes });
    if (isDeepStrictEqual(node, previous)) return previous;
    const owner = this.#endpoints.get(endpointKey(node));
    if (owner !== undefined && owner !== id) throw addressTaken(node, owner);
    this.#commit([{ op: 'put', node }]);
    this.events.emit('change', { type: 'updated', node, previous });
    return node;
  }

  remove(id: string): Node {
    const node = this.require(id);
    this.#guard('remove nodes');
    this.#commit([{ op: 'del', id }]);
    this.events.emit('change', { type: 'removed', node });
    return node;
  }

  /** Seed-format import: all or nothing unless `skip_invalid`; `dry_run` only reports. */
  importSeed(document: unknown, options: unknown = {}): ImportReport {
    const opts = parseOrThrow(ImportOptionsSchema, options);
    const { report, changes } = planSeedImport(document, this.#nodes);
    if (opts.dry_run || (report.invalid.length > 0 && !opts.skip_invalid) || changes.length === 0) return report;
    this.#guard('import nodes');
    this.applyNodes(changes);
    report.applied = true;
    return report;
  }

  /** Adds or replaces many validated nodes in one durable write (imports). */
  applyNodes(nodes: Node[]): void {
    this.#guard('add or change nodes');
    const next = new Map(this.#nodes);
    for (const node of nodes) next.set(node.id, node);
    assertAddressesFree(next.values(), nodes);
    const before = new Map(nodes.map((n) => [n.id, this.#nodes.get(n.id)]));
    this.#commit(nodes.map((node) => ({ op: 'put', node })));
    for (const node of nodes) {
      const previous = before.get(node.id);
      this.events.emit('change', previous ? { type: 'updated', node, previous } : { type: 'added', node });
    }
  }

  /** Removes every node `which` picks in one durable write; answers their ids. */
  removeWhere(which: (node: Node) => boolean): string[] {
    const gone = [...this.#nodes.values()].filter(which);
    if (gone.length === 0) return [];
    this.#guard('remove nodes');
    this.#commit(gone.map((node) => ({ op: 'del', id: node.id })));
    for (const node of gone) this.events.emit('change', { type: 'removed', node });
    return gone.map((n) => n.id);
  }

  /**
   * Makes the registry equal `target` in one durable write (nodes-file sync: the caller checked each
   * node and their addresses). Answers what changed; each change is also emitted.
   */
  syncTo(target: Node[]): { added: string[]; changed: Array<{ id: string; fields: string[] }>; removed: string[] } {
    const wanted = new Map(target.map((n) => [n.id, n]));
    const puts = target.filter((n) => !isDeepStrictEqual(this.#nodes.get(n.id), n));
    const gone = [...this.#nodes.values()].filter((n) => !wanted.has(n.id));
    if (puts.length === 0 && gone.length === 0) return { added: [], changed: [], removed: [] };
    const before = new Map(puts.map((n) => [n.id, this.#nodes.get(n.id)]));
    this.#commit([...gone.map((n) => ({ op: 'del' as const, id: n.id })), ...puts.map((node) => ({ op: 'put' as const, node }))]);
    for (const node of gone) this.events.emit('change', { type: 'removed', node });
    const changed: Array<{ id: string; fields: string[] }> = [];
    for (const node of puts) {
      const previous = before.get(node.id);
      if (!previous) {
        this.events.emit('change', { type: 'added', node });
        continue;
      }
      changed.push({ id: node.id, fields: changedFields(previous, node) });
      this.events.emit('change', { type: 'updated', node, previous });
    }
    return { added: puts.filter((n) => !before.get(n.id)).map((n) => n.id), changed, removed: gone.map((n) => n.id) };
  }

  #guard(what: string): void {
    if (!this.#definedBy) return;
    throw new OrchestratorError('conflict', `The nodes are defined by ${this.#definedBy} (--nodes-file-mode=sync): ${what} in that file; this service follows it`, [
      { field: 'nodes', message: `defined by ${this.#definedBy}` },
    ]);
  }

  exportSeed(): SeedDocument {
    return toSeedDocument(this.#nodes.values());
  }

  /** Writes the change (throwing before memory changes if it cannot be written), then applies it in place. */
  #commit(ops: JournalOp[]): void {
    if (!this.#journal) {
      // A store without a file (memory) cannot fail: the snapshot is simply the new state.
      this.#apply(ops);
      this.#snapshot(this.#nodes);
      return;
    }
    this.#journal.append(ops);
    this.#apply(ops);
    if (this.#journal.lines >= COMPACT_AFTER) this.#compact();
    else this.#compactWhenQuiet();
  }

  #apply(ops: JournalOp[]): void {
    for (const op of ops) {
      if (op.op === 'put') this.#nodes.set(op.node.id, op.node);
      else this.#nodes.delete(op.id);
    }
    this.#reindex(ops);
  }

  /** nodes.json catches up a moment after the last change, so a reader of the file (the seed's habit) sees it whole. */
  #compactWhenQuiet(): void {
    // One timer, pushed back by each change (refresh), rather than a new one per change.
    this.#quietTimer ??= setTimeout(() => {
      if (this.#journal && this.#journal.lines > 0) this.#compact();
    }, QUIET_MS).unref();
    this.#quietTimer.refresh();
  }

  /**
   * Folds the journal into a new snapshot, off the event loop: its lines move aside (rotate), the
   * snapshot of the state they led to is written in the background, then they go. A kill meanwhile
   * leaves them to be replayed; a snapshot that cannot be written keeps them for the next fold.
   */
  #compact(): void {
    if (!this.#journal || this.#folding) return;
    try {
      this.#journal.rotate(this.#foldingFile);
    } catch {
      return; // the journal still holds everything
    }
    const state = [...this.#nodes.values()];
    this.#folding = writeFileDurablyAsync(this.#conf.path, snapshotChunks(state))
      .then(() => fs.promises.rm(this.#foldingFile, { force: true }))
      .catch(() => {
        /* the folding lines stay until a snapshot succeeds */
      })
      .finally(() => (this.#folding = null));
  }

  /** The whole registry as nodes.json, now (at start); then the journals it holds are emptied. */
  #snapshot(nodes: Map<string, Node>): void {
    this.#conf.store = { schema_version: CURRENT_SCHEMA_VERSION, nodes: Object.fromEntries(nodes) };
    this.#journal?.clear();
    if (this.#journal) fs.rmSync(this.#foldingFile, { force: true });
  }

  /** Resolves when a snapshot being written in the background is on disk (tests, shutdown). */
  async settled(): Promise<void> {
    await this.#folding;
  }

  /** Applies journal lines written since the snapshot; a line that no longer validates is dropped and named. */
  #replay(ops: JournalOp[], rejected: string[]): number {
    for (const op of ops) {
      if (op.op === 'del') this.#nodes.delete(op.id);
      else {
        const parsed = NodeSchema.safeParse(op.node);
        if (parsed.success) this.#nodes.set(parsed.data.id, parsed.data);
        else rejected.push(`journal entry ${String((op.node as { id?: unknown }).id)} (${fieldErrors(parsed.error).map((e) => `${e.field}: ${e.message}`).join('; ')})`);
      }
    }
    return ops.length;
  }

  /** Keeps the endpoint index: per op for single changes, rebuilt for bulk ones and at start. */
  #reindex(ops?: JournalOp[]): void {
    if (!ops || ops.length !== 1) {
      this.#endpoints = new Map();
      this.#endpointOf = new Map();
      for (const node of this.#nodes.values()) this.#index(node);
      return;
    }
    const [op] = ops;
    const id = op.op === 'del' ? op.id : op.node.id;
    const old = this.#endpointOf.get(id);
    if (old !== undefined && this.#endpoints.get(old) === id) this.#endpoints.delete(old);
    this.#endpointOf.delete(id);
    if (op.op === 'put') this.#index(op.node);
  }

  #index(node: Node): void {
    const key = endpointKey(node);
    this.#endpoints.set(key, node.id);
    this.#endpointOf.set(node.id, key);
  }
}

/** nodes.json in pieces of a few hundred nodes, so writing 10,000 never holds the event loop long. */
function* snapshotChunks(nodes: Node[]): Generator<Buffer> {
  yield Buffer.from(`{"schema_version":${CURRENT_SCHEMA_VERSION},"nodes":{`);
  for (let i = 0; i < nodes.length; i += 250) {
    const part = nodes.slice(i, i + 250).map((n) => `${JSON.stringify(n.id)}:${JSON.stringify(n)}`).join(',');
    yield Buffer.from((i > 0 ? ',' : '') + part);
  }
  yield Buffer.from('}}\n');
}

function loudRecovery(recovery: StoreRecovery): void {
  console.error(
    `\n!!! Store file ${recovery.file} ${recovery.reason}.\n!!! The original was kept at ${recovery.moved_to}; nothing was deleted.\n`,
  );
}
