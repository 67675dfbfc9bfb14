import fs from 'node:fs';
import path from 'node:path';
import type { AuditEntry } from '../../shared/schemas/ssh';
import { appendLineDurably } from '../util/durable-write';

/** One entry's text fields are cut here, so no caller can make one line huge. */
export const MAX_AUDIT_FIELD = 2000;
/** audit.jsonl is rotated past this size; ROTATED_FILES older files are kept (audit.1.jsonl …). */
export const MAX_AUDIT_FILE_BYTES = 5 * 1024 * 1024;
const ROTATED_FILES = 3;
const clip = (text: string) => (text.length > MAX_AUDIT_FIELD ? `${text.slice(0, MAX_AUDIT_FIELD)}… [${text.length - MAX_AUDIT_FIELD} more characters]` : text);

/**
 * Who ran what, where: one JSON line per action in DATA_DIR/audit.jsonl (mode 0600), rotated by size.
 * It fails closed: `record` throws when the entry cannot be written, and callers record before they act.
 */
export class AuditLog {
  readonly #file: string | null;
  readonly #recent: AuditEntry[] = [];
  readonly #maxBytes: number;

  constructor(dataDir?: string, options: { maxBytes?: number } = {}) {
    this.#file = dataDir ? path.join(dataDir, 'audit.jsonl') : null;
    this.#maxBytes = options.maxBytes ?? MAX_AUDIT_FILE_BYTES;
  }

  record(entry: Omit<AuditEntry, 'at'>): AuditEntry {
    const full: AuditEntry = {
      at: new Date().toISOString(),
      actor: clip(entry.actor),
      action: clip(entry.action),
      nodes: entry.nodes.slice(0, 200).map(clip),
      detail: clip(entry.detail),
      outcome: clip(entry.outcome),
    };
    if (this.#file) {
      this.#rotateIfFull(this.#file);
      appendLineDurably(this.#file, JSON.stringify(full) + '\n'); // throws: the action must not go ahead
    }
    this.#recent.push(full);
    if (this.#recent.length > 1000) this.#recent.shift();
    return full;
  }

  /** Newest last; reads only the file's tail, so entries from earlier runs are included cheaply. */
  list(limit = 200): AuditEntry[] {
    if (!this.#file || !fs.existsSync(this.#file)) return this.#recent.slice(-limit);
    const lines = readTail(this.#file, limit * (MAX_AUDIT_FIELD * 3 + 512)).split('\n').filter(Boolean).slice(-limit);
    return lines.flatMap((line) => {
      try {
        return [JSON.parse(line) as AuditEntry];
      } catch {
        return []; // the first line of a tail may be cut; a torn last line after a crash too
      }
    });
  }

  #rotateIfFull(file: string): void {
    let size = 0;
    try {
      size = fs.statSync(file).size;
    } catch {
      return;
    }
    if (size < this.#maxBytes) return;
    for (let i = ROTATED_FILES - 1; i >= 1; i--) {
      const from = file.replace(/\.jsonl$/, `.${i}.jsonl`);
      if (fs.existsSync(from)) fs.renameSync(from, file.replace(/\.jsonl$/, `.${i + 1}.jsonl`));
    }
    fs.renameSync(file, file.replace(/\.jsonl$/, '.1.jsonl'));
  }
}

function readTail(file: string, maxBytes: number): string {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    fs.readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
