import type { HistoryPoint } from '../../shared/schemas/health';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY_MINUTES = 24 * 60;
/** Uptime is counted per hour for 30 days. */
export const UPTIME_HOURS = 30 * 24;
/** The raw ring keeps at least this many checks, so a long interval or manual checks still draw a line. */
export const MIN_RAW_CHECKS = 60;
const MAX_RAW_CHECKS = 720;

/** Raw checks to keep: an hour's worth at this interval, never fewer than MIN_RAW_CHECKS. */
export function rawCapacityFor(intervalS: number): number {
  return Math.max(MIN_RAW_CHECKS, Math.min(MAX_RAW_CHECKS, Math.ceil(3600 / Math.max(intervalS, 5))));
}

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
  readonly #hour = new Uint32Array(UPTIME_HOURS); // hour number since epoch
  readonly #up = new Uint16Array(UPTIME_HOURS);
  readonly #down = new Uint16Array(UPTIME_HOURS);

  constructor(rawCapacity = MAX_RAW_CHECKS) {
    this.#capacity = rawCapacity;
    this.#t = new Float64Array(rawCapacity);
    this.#latency = new Float32Array(rawCapacity);
  }

  /**
   * One check. `countsForUptime` is false for checks that say nothing about the node (the monitor
   * itself offline, or just woken from sleep); maintenance is never probed, so never counted.
   */
  record(t: number, latencyMs: number | null, countsForUptime = true): void {
    if (countsForUptime) {
      const hour = Math.floor(t / HOUR);
      const slot = hour % UPTIME_HOURS;
      if (this.#hour[slot] !== hour) {
        this.#hour[slot] = hour;
        this.#up[slot] = 0;
        this.#down[slot] = 0;
      }
      if (latencyMs === null) this.#down[slot] = Math.min(this.#down[slot] + 1, 65_535);
      else this.#up[slot] = Math.min(this.#up[slot] + 1, 65_535);
    }
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

  /** Checks up and down in the hours that overlap the last `rangeMs` (at most 30 days). */
  uptimeCounts(rangeMs: number, now = Date.now()): { up: number; down: number } {
    const last = Math.floor(now / HOUR);
    const first = Math.max(Math.floor((now - rangeMs) / HOUR) + 1, last - UPTIME_HOURS + 1);
    let up = 0;
    let down = 0;
    for (let hour = first; hour <= last; hour++) {
      const slot = hour % UPTIME_HOURS;
      if (this.#hour[slot] !== hour) continue;
      up += this.#up[slot];
      down += this.#down[slot];
    }
    return { up, down };
  }

  /**
   * How much of the last `rangeMs` the counts cover, in ms: from the first hour with a counted
   * check (to the minute, within the last day) until now. A node added 3 minutes ago has 3 minutes
   * measured, whatever the window; 0 without any.
   */
  measuredMs(rangeMs: number, now = Date.now()): number {
    const last = Math.floor(now / HOUR);
    const first = Math.max(Math.floor((now - rangeMs) / HOUR) + 1, last - UPTIME_HOURS + 1);
    let hour = first;
    while (hour <= last && (this.#hour[hour % UPTIME_HOURS] !== hour || this.#up[hour % UPTIME_HOURS] + this.#down[hour % UPTIME_HOURS] === 0)) hour++;
    if (hour > last) return 0;
    let since = hour * HOUR;
    // The minute buckets span a day: within it, the first minute with a check says when counting began.
    for (let minute = Math.max(Math.floor(since / MINUTE), Math.floor(now / MINUTE) - DAY_MINUTES + 1); minute < (hour + 1) * 60 && minute <= Math.floor(now / MINUTE); minute++) {
      const slot = minute % DAY_MINUTES;
      if (this.#minute[slot] === minute && this.#ok[slot] + this.#fail[slot] > 0) {
        since = minute * MINUTE;
        break;
      }
    }
    return Math.min(rangeMs, Math.max(0, now - since));
  }

  get rawCapacity(): number {
    return this.#capacity;
  }

  /** A copy whose raw ring holds `capacity` checks (the newest kept when it shrinks); buckets unchanged. */
  withRawCapacity(capacity: number): LatencyHistory {
    const copy = new LatencyHistory(capacity);
    const kept = Math.min(this.#count, capacity);
    for (let i = this.#count - kept; i < this.#count; i++) {
      const index = (this.#head - this.#count + i + this.#capacity) % this.#capacity;
      copy.#t[copy.#head] = this.#t[index];
      copy.#latency[copy.#head] = this.#latency[index];
      copy.#head = (copy.#head + 1) % capacity;
    }
    copy.#count = kept;
    for (const [to, from] of [[copy.#minute, this.#minute], [copy.#sum, this.#sum], [copy.#ok, this.#ok], [copy.#fail, this.#fail], [copy.#hour, this.#hour], [copy.#up, this.#up], [copy.#down, this.#down]] as const) {
      (to as Uint32Array).set(from as Uint32Array);
    }
    return copy;
  }

  /** The last `n` check results, oldest first: '1' passed, '0' failed (a heartbeat strip). */
  recent(n = 30): string {
    // One string, not a rope of n: every node's heartbeat goes out after every sweep.
    const from = Math.max(0, this.#count - n);
    const chars = new Array<number>(this.#count - from);
    for (let i = from; i < this.#count; i++) {
      const index = (this.#head - this.#count + i + this.#capacity) % this.#capacity;
      chars[i - from] = Number.isNaN(this.#latency[index]) ? 48 : 49; // '0' failed, '1' passed
    }
    return String.fromCharCode(...chars);
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
    const parts = [header, this.#t, this.#latency, this.#minute, this.#sum, this.#ok, this.#fail, this.#hour, this.#up, this.#down];
    return Buffer.concat(parts.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)));
  }

  /** The inverse of serialize; null for bytes of another format or size (they are then ignored). */
  static deserialize(bytes: Buffer): LatencyHistory | null {
    if (bytes.length < 32) return null;
    const header = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + 32));
    const [format, capacity, head, count] = header;
    if (format !== HISTORY_FORMAT || !Number.isInteger(capacity) || capacity < 1 || capacity > 100_000) return null;
    const history = new LatencyHistory(capacity);
    const arrays = [history.#t, history.#latency, history.#minute, history.#sum, history.#ok, history.#fail, history.#hour, history.#up, history.#down];
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

const HISTORY_FORMAT = 2;
