import fs from 'node:fs';
import { storageError, writeAllSync } from '../util/durable-write';
import type { Node } from '../../shared/schemas/node';

/** One registry change, as a line of the journal. */
export type JournalOp = { op: 'put'; node: Node } | { op: 'del'; id: string };

/**
 * The registry's changes since its last snapshot (nodes.json), one JSON line each. Adding a node to
 * 10,000 appends a line instead of rewriting the whole file; the registry folds the journal into a
 * new snapshot now and then. An append is all or nothing: a failed one (a full disk) is cut back to
 * where it started, and a line torn by a crash is the last one, which reading ignores.
 */
export class RegistryJournal {
  #size: number;
  #lines = 0;

  constructor(readonly file: string) {
    this.#size = fs.existsSync(file) ? fs.statSync(file).size : 0;
  }

  /** The ops in order, up to the first line that does not parse (a crash tears only the last). */
  read(): JournalOp[] {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    const ops: JournalOp[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        const op = JSON.parse(line) as JournalOp;
        if ((op.op === 'put' && op.node && typeof op.node === 'object') || (op.op === 'del' && typeof op.id === 'string')) ops.push(op);
        else break;
      } catch {
        break;
      }
    }
    this.#lines = ops.length;
    return ops;
  }

  /** Lines since the last snapshot. */
  get lines(): number {
    return this.#lines;
  }

  /** Appends the ops and syncs them to disk; throws a storage error having written nothing. */
  append(ops: JournalOp[]): void {
    if (ops.length === 0) return;
    const bytes = Buffer.from(ops.map((op) => JSON.stringify(op) + '\n').join(''), 'utf8');
    let fd: number | null = null;
    try {
      fd = fs.openSync(this.file, 'a', 0o600);
      writeAllSync(fd, bytes);
      fs.fdatasyncSync(fd);
      fs.closeSync(fd);
      fd = null;
      this.#size += bytes.length;
      this.#lines += ops.length;
    } catch (error) {
      try {
        if (fd === null) fd = fs.openSync(this.file, 'r+');
        fs.ftruncateSync(fd, this.#size); // nothing half-written stays behind
      } catch {
        /* the file could not even be opened: nothing was written */
      }
      if (fd !== null) fs.closeSync(fd);
      throw storageError(this.file, error);
    }
  }

  /**
   * Moves the lines so far to `folding` (appended there if a fold that failed left it behind) and
   * starts this journal empty: a new snapshot is being written from the state they led to.
   */
  rotate(folding: string): void {
    if (this.#size === 0) return;
    if (fs.existsSync(folding)) {
      const fd = fs.openSync(folding, 'a', 0o600);
      try {
        writeAllSync(fd, fs.readFileSync(this.file));
        fs.fdatasyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      this.clear();
      return;
    }
    fs.renameSync(this.file, folding);
    this.#size = 0;
    this.#lines = 0;
  }

  /** Empties the journal once a snapshot holds everything in it. */
  clear(): void {
    fs.writeFileSync(this.file, '', { mode: 0o600 });
    this.#size = 0;
    this.#lines = 0;
  }
}
