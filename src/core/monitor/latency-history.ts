import type { HistoryPoint } from '../../shared/schemas/health';

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;

/**
 * One node's latency history in fixed memory: every check of the last hour (a ring), and one bucket
 * per minute for 24 h (average latency, failures). Typed arrays keep 1,000 nodes well under 50 MB.
 */
export class LatencyHistory {
  readonly #capacity: number;
  readonly #t: Float64Array;
  readonly #latency: Float32Array; // NaN marks a failed check
  #head = 0;
  #count = 0;
  readonly #minute = new Uint32Array(DAY_MINUTES); // minute number since epoch (fits until year 10136)
  readonly #sum = new Float32Array(DAY_MINUTES);
  readonly #ok = new Uint16Array(DAY_MINUTES);
  readonly #fail = new Uint16Array(DAY_MINUTES);

  constructor(rawCapacity = 720) {
    this.#capacity = rawCapacity;
    this.#t = new Float64Array(rawCapacity);
    this.#latency = new Float32Array(rawCapacity);
  }

  record(t: number, latencyMs: number | null): void {
    this.#t[this.#head] = t;
    this.#latency[this.#head] = latencyMs ?? NaN;
    this.#head = (this.#head + 1) % this.#capacity;
    this.#count = Math.min(this.#count + 1, this.#capacity);
    const minute = Math.floor(t / MINUTE);
    const slot = minute % DAY_MINUTES;
    if (this.#minute[slot] !== minute) {
      this.#minute[slot] = minute;
      this.#sum[slot] = 0;
      this.#ok[slot] = 0;
      this.#fail[slot] = 0;
    }
    if (latencyMs === null) this.#fail[slot]++;
    else {
      this.#sum[slot] += latencyMs;
      this.#ok[slot]++;
    }
  }

  /** Points since `now - rangeMs`: raw checks for up to an hour, minute buckets beyond. */
  points(rangeMs: number, now = Date.now()): HistoryPoint[] {
    const since = now - rangeMs;
    const out: HistoryPoint[] = [];
    if (rangeMs <= 60 * MINUTE) {
      for (let i = 0; i < this.#count; i++) {
        const index = (this.#head - this.#count + i + this.#capacity) % this.#capacity;
        if (this.#t[index] < since) continue;
        const latency = this.#latency[index];
        out.push({ t: this.#t[index], latency_ms: Number.isNaN(latency) ? null : Math.round(latency * 100) / 100, ok: !Number.isNaN(latency) });
      }
      return out;
    }
    const first = Math.floor(since / MINUTE) + 1;
    const last = Math.floor(now / MINUTE);
    for (let minute = Math.max(first, last - DAY_MINUTES + 1); minute <= last; minute++) {
      const slot = minute % DAY_MINUTES;
      if (this.#minute[slot] !== minute) continue;
      const ok = this.#ok[slot];
      out.push({ t: minute * MINUTE, latency_ms: ok ? Math.round((this.#sum[slot] / ok) * 100) / 100 : null, ok: this.#fail[slot] === 0 });
    }
    return out;
  }

  /** The whole history as bytes of a fixed size per capacity (bounded space on disk). */
  serialize(): Buffer {
    const header = new Float64Array([HISTORY_FORMAT, this.#capacity, this.#head, this.#count]);
    const parts = [header, this.#t, this.#latency, this.#minute, this.#sum, this.#ok, this.#fail];
    return Buffer.concat(parts.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)));
  }

  /** The inverse of serialize; null for bytes of another format or size (they are then ignored). */
  static deserialize(bytes: Buffer): LatencyHistory | null {
    if (bytes.length < 32) return null;
    const header = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + 32));
    const [format, capacity, head, count] = header;
    if (format !== HISTORY_FORMAT || !Number.isInteger(capacity) || capacity < 1 || capacity > 100_000) return null;
    const history = new LatencyHistory(capacity);
    const arrays = [history.#t, history.#latency, history.#minute, history.#sum, history.#ok, history.#fail];
    if (bytes.length !== 32 + arrays.reduce((n, a) => n + a.byteLength, 0)) return null;
    let offset = 32;
    for (const array of arrays) {
      new Uint8Array(array.buffer).set(bytes.subarray(offset, offset + array.byteLength));
      offset += array.byteLength;
    }
    history.#head = head % capacity;
    history.#count = Math.min(count, capacity);
    return history;
  }
}

const HISTORY_FORMAT = 1;
