import fs from 'node:fs';
import path from 'node:path';
import type { HealthEvent } from '../../shared/schemas/health';
import type { Node } from '../../shared/schemas/node';
import { OrchestratorError } from '../../shared/errors';
import type { NodesFileStatus } from '../../shared/schemas/seed-format';
import { OPERATIONAL_FIELDS, type NodeRegistry } from './node-registry';
import { planSeedImport } from './seed-format';
import { parseJsonBytes } from '../util/parse-json-bytes';
import { FileRefusal, readRegularFile, readRegularFileSync } from '../util/read-json-file';

export interface NodesFileSyncOptions {
  file: string;
  registry: NodeRegistry;
  logEvent: (event: Omit<HealthEvent, 'seq' | 'at'>) => void;
  log: (line: string) => void;
  /** Changes closer together than this are read once (an editor writes a file in several steps). */
  debounceMs?: number;
  /** Also checked this often, where file events do not arrive (network file systems). */
  pollMs?: number;
}

/**
 * `--nodes-file-mode=sync`: the seed-format file is the fleet's source of truth. It is read at start
 * and again whenever it changes; each change applies as a diff (added, changed, removed, each in the
 * event log). A file that does not read, or holds one bad node, changes nothing and is reported.
 * Several instances pointed at the same file (a git checkout, say) watch the same fleet.
 */
export class NodesFileSync {
  readonly #file: string;
  /** The file as last applied or refused: the same bytes again are not read twice. */
  #lastBytes: Buffer | null = null;
  #status: NodesFileStatus;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #watcher: fs.FSWatcher | null = null;
  readonly #onPoll = () => this.#soon();
  #closed = false;
  /** The read in progress: the next one starts after it. */
  #applying: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: NodesFileSyncOptions) {
    this.#file = path.resolve(options.file);
    this.#status = { file: this.#file, mode: 'sync', applied_at: null, error: null };
    options.registry.defineBy(this.#file);
  }

  get status(): NodesFileStatus {
    return { ...this.#status };
  }

  /** Applies the file now (read at once: nothing else runs yet) and watches it from then on. */
  start(): NodesFileStatus {
    let bytes: Buffer | undefined;
    try {
      bytes = readRegularFileSync(this.#file);
    } catch (error) {
      this.#refuse(unreadable(error));
    }
    if (bytes) this.#applyBytes(bytes);
    // The directory, not the file: editors and git replace a file by renaming over it, which ends a file watch.
    try {
      this.#watcher = fs.watch(path.dirname(this.#file), (_event, name) => {
        if (!name || name === path.basename(this.#file)) this.#soon();
      });
      this.#watcher.on('error', () => {}); // the poll below still sees changes
    } catch {
      /* no directory watch here: the poll does it */
    }
    fs.watchFile(this.#file, { interval: this.options.pollMs ?? 1000, persistent: false }, this.#onPoll);
    return this.status;
  }

  /**
   * Reads the file (off the event loop, a regular file of bounded size only) and applies it if it
   * changed; answers the status (error set when it was not applied). One read at a time.
   */
  apply(): Promise<NodesFileStatus> {
    const next = this.#applying.then(async () => {
      let bytes: Buffer;
      try {
        bytes = await readRegularFile(this.#file);
      } catch (error) {
        return this.#refuse(unreadable(error));
      }
      return this.#closed ? this.status : this.#applyBytes(bytes);
    });
    this.#applying = next.catch(() => undefined); // a failed read does not stop the ones after it
    return next;
  }

  #applyBytes(bytes: Buffer): NodesFileStatus {
    if (this.#lastBytes?.equals(bytes)) return this.status;
    let document: unknown;
    try {
      document = parseJsonBytes(bytes, 'nodes file', this.#file);
    } catch (error) {
      // Why, without quoting the file: the reason goes to the event log, which every viewer reads.
      return this.#refuse((error as OrchestratorError).details?.[0]?.message ?? 'is not valid JSON', bytes);
    }
    let target: Node[];
    try {
      target = this.#plan(document);
    } catch (error) {
      const e = error as OrchestratorError;
      const details = e.details?.length ? e.details.map((d) => `${d.field}: ${d.message}`).join('; ') : e.message;
      return this.#refuse(`holds invalid nodes (${details})`, bytes);
    }
    let diff: ReturnType<NodeRegistry['syncTo']>;
    try {
      diff = this.options.registry.syncTo(target);
    } catch (error) {
      return this.#refuse(`could not be applied (${(error as Error).message})`); // e.g. a full disk: tried again when the file next changes
    }
    const { added, changed, removed } = diff;
    this.#lastBytes = bytes;
    this.#status = { ...this.#status, applied_at: new Date().toISOString(), error: null };
    const where = path.basename(this.#file);
    for (const id of added) this.options.logEvent({ node: id, kind: 'nodes_file', from: null, to: 'added', reason: `added in ${where}`, reason_code: 'nodes_file_added', reason_params: { file: where } });
    for (const { id, fields } of changed) this.options.logEvent({ node: id, kind: 'nodes_file', from: null, to: 'changed', reason: `changed in ${where}: ${fields.join(', ')}`, reason_code: 'nodes_file_changed', reason_params: { file: where, fields: fields.join(', ') } });
    for (const id of removed) this.options.logEvent({ node: id, kind: 'nodes_file', from: null, to: 'removed', reason: `removed from ${where}`, reason_code: 'nodes_file_removed', reason_params: { file: where } });
    if (added.length + changed.length + removed.length > 0) this.options.log(`${this.#file}: ${added.length} added, ${changed.length} changed, ${removed.length} removed`);
    return this.status;
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#watcher?.close();
    fs.unwatchFile(this.#file, this.#onPoll);
    this.options.registry.defineBy(null);
  }

  /** Every node valid and the addresses unique, or an error naming each bad field; operations are kept. */
  #plan(document: unknown): Node[] {
    const { report, changes } = planSeedImport(document, new Map());
    if (report.invalid.length > 0) {
      throw new OrchestratorError('validation_error', 'invalid nodes', report.invalid.map((i) => ({ field: `nodes.${i.id}.${i.field}`, message: i.reason })));
    }
    const raw = (document as { nodes: Record<string, object> }).nodes;
    // Maintenance and a mute are set here, not in the file: a node's file entry that leaves them out keeps them.
    return changes.map((node) => {
      const current = this.options.registry.get(node.id);
      if (!current) return node;
      const kept = Object.fromEntries([...OPERATIONAL_FIELDS].filter((key) => !(key in raw[node.id])).map((key) => [key, current[key as keyof Node]]));
      return { ...node, ...kept } as Node;
    });
  }

  #refuse(why: string, bytes?: Buffer): NodesFileStatus {
    const error = `${this.#file} ${why}; the nodes stay as they were`;
    if (bytes !== undefined) this.#lastBytes = bytes; // reported once per version of the file
    if (this.#status.error !== error) {
      this.options.logEvent({ node: null, kind: 'nodes_file', from: null, to: 'invalid', reason: error });
      this.options.log(`!!! ${error}`);
    }
    this.#status = { ...this.#status, error };
    return this.status;
  }

  #soon(): void {
    if (this.#closed) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (!this.#closed) void this.apply();
    }, this.options.debounceMs ?? 100);
  }
}

/** Why the file was not read, without quoting it: a refusal says its kind or size, else the system's code. */
const unreadable = (error: unknown): string =>
  error instanceof FileRefusal ? error.message : `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
