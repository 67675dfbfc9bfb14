import fs from 'node:fs';
import path from 'node:path';
import type { AuditEntry } from '../../shared/schemas/ssh';

/** Who ran what, where: one JSON line per action in DATA_DIR/audit.jsonl (mode 0600). */
export class AuditLog {
  readonly #file: string | null;
  readonly #recent: AuditEntry[] = [];

  constructor(dataDir?: string) {
    this.#file = dataDir ? path.join(dataDir, 'audit.jsonl') : null;
  }

  record(entry: Omit<AuditEntry, 'at'>): AuditEntry {
    const full: AuditEntry = { at: new Date().toISOString(), ...entry };
    if (this.#file) {
      try {
        fs.appendFileSync(this.#file, JSON.stringify(full) + '\n', { mode: 0o600 });
      } catch (error) {
        console.error(`[audit] could not write ${this.#file}: ${(error as Error).message}; entry: ${JSON.stringify(full)}`);
      }
    }
    this.#recent.push(full);
    if (this.#recent.length > 1000) this.#recent.shift();
    return full;
  }

  /** Newest last; reads the file so entries from earlier runs are included. */
  list(limit = 200): AuditEntry[] {
    if (!this.#file || !fs.existsSync(this.#file)) return this.#recent.slice(-limit);
    const lines = fs.readFileSync(this.#file, 'utf8').trim().split('\n').filter(Boolean).slice(-limit);
    return lines.flatMap((line) => {
      try {
        return [JSON.parse(line) as AuditEntry];
      } catch {
        return [];
      }
    });
  }
}
