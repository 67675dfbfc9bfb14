import fs from 'node:fs';
import path from 'node:path';
import { HealthEventSchema, type HealthEvent } from '../../shared/schemas/health';
import { appendLineDurably, writeFileDurably } from '../util/durable-write';

export type NewEvent = Omit<HealthEvent, 'seq' | 'at'> & { at?: string };

/**
 * Events in memory (the newest `cap`) and appended to events.jsonl. The file is compacted to the
 * newest `cap` lines when it grows past twice that, by writing a temp file and renaming it.
 */
export class EventLog {
  readonly #events: HealthEvent[] = [];
  readonly #file: string | null;
  readonly #cap: number;
  #seq = 0;
  #linesInFile = 0;
  /** Why the last append could not be written, until one succeeds again. */
  writeError: string | null = null;

  constructor(options: { dataDir?: string; cap?: number } = {}) {
    this.#cap = options.cap ?? 5000;
    this.#file = options.dataDir ? path.join(options.dataDir, 'events.jsonl') : null;
    if (this.#file && fs.existsSync(this.#file)) {
      const lines = fs.readFileSync(this.#file, 'utf8').split('\n').filter(Boolean);
      this.#linesInFile = lines.length;
      for (const line of lines.slice(-this.#cap)) {
        // A torn last line after a crash, or any line that is not an event, is skipped: one bad line
        // must not poison the sequence numbers (a NaN or a string seq would, for good).
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch {
          continue;
        }
        const event = HealthEventSchema.safeParse(parsed);
        if (!event.success || !Number.isSafeInteger(event.data.seq) || event.data.seq < 0) continue;
        this.#events.push(event.data);
        this.#seq = Math.max(this.#seq, event.data.seq);
      }
    }
  }

  append(input: NewEvent): HealthEvent {
    const event: HealthEvent = { ...input, seq: ++this.#seq, at: input.at ?? new Date().toISOString() };
    this.#events.push(event);
    if (this.#events.length > this.#cap) this.#events.splice(0, this.#events.length - this.#cap);
    if (this.#file) {
      // A full or read-only disk must not stop a sweep part-way: the event stays in memory, and the
      // failure is reported once (and again only after writes worked in between).
      try {
        appendLineDurably(this.#file, JSON.stringify(event) + '\n');
        this.writeError = null;
        if (++this.#linesInFile > this.#cap * 2) this.#compact();
      } catch (error) {
        if (!this.writeError) console.error(`!!! ${(error as Error).message}`);
        this.writeError = (error as Error).message;
      }
    }
    return event;
  }

  /** Newest last; filtered by node and `since` seq. */
  list(options: { node?: string; afterSeq?: number; limit?: number } = {}): HealthEvent[] {
    const limit = options.limit ?? 200;
    const matching = this.#events.filter((e) => (!options.node || e.node === options.node) && (options.afterSeq === undefined || e.seq > options.afterSeq));
    return matching.slice(-limit);
  }

  #compact(): void {
    const file = this.#file!;
    writeFileDurably(file, this.#events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    this.#linesInFile = this.#events.length;
  }
}
