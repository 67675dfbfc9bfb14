import fs from 'node:fs';
import path from 'node:path';
import { writeFileDurably, writeFileDurablyAsync } from '../util/durable-write';
import type { ClusterMonitor, MonitorStateSnapshot } from './cluster-monitor';
import { LatencyHistory } from './latency-history';

export const STATE_FILE = 'monitor-state.json';
export const HISTORY_FILE = 'history.bin';
const STATE_FORMAT = 1;

interface StateFile {
  format: number;
  saved_at: string;
  /** False while running: a file that still says so at the next start means the run did not stop cleanly. */
  clean_stop: boolean;
  monitor: MonitorStateSnapshot;
}

export interface PersistenceOptions {
  dataDir: string;
  monitor: ClusterMonitor;
  /** How often node states are saved while running (history with every fifth save). */
  saveEveryMs?: number;
  now?: () => number;
  log?: (line: string) => void;
}

/**
 * Keeps what the operator saw across restarts: node states (restored as "last known" until checked
 * again), latency history (fixed size per node, one binary file), and the monitor's own stops and
 * starts as events, so its downtime is visible in the log.
 */
export class MonitorPersistence {
  readonly #options: Required<Omit<PersistenceOptions, 'log'>> & { log: (line: string) => void };
  #previous: StateFile | null = null;
  #timer: NodeJS.Timeout | null = null;
  #saves = 0;
  #historySave: Promise<void> | null = null;
  #historyWrites = 0;
  readonly #unsubscribe: () => void;

  constructor(options: PersistenceOptions) {
    this.#options = { saveEveryMs: 60_000, now: Date.now, log: (line) => console.error(line), ...options };
    this.#restore();
    this.#unsubscribe = options.monitor.events.on('running', (running) => (running ? this.#started() : this.#stopped()));
  }

  /**
   * Writes states now; histories too when asked (at a stop: at once) or every fifth time (then in the
   * background: at 5,000 nodes they are hundreds of MB, and the service keeps answering meanwhile).
   */
  save(options: { cleanStop?: boolean; withHistory?: boolean } = {}): void {
    const { dataDir, monitor, now } = this.#options;
    const state: StateFile = { format: STATE_FORMAT, saved_at: new Date(now()).toISOString(), clean_stop: options.cleanStop ?? false, monitor: monitor.exportState() };
    const historyDue = this.#saves++ % 5 === 0;
    try {
      if (options.withHistory) {
        this.#historyWrites++; // a background save still running will not replace this one
        writeFileDurably(path.join(dataDir, HISTORY_FILE), Buffer.concat([...this.#historyChunks()]));
      } else if (historyDue) void this.saveHistoryInBackground();
      writeFileDurably(path.join(dataDir, STATE_FILE), JSON.stringify(state));
    } catch (error) {
      this.#options.log(`!!! monitor state not saved: ${(error as Error).message}`);
    }
  }

  /** Writes the histories without holding the event loop; one at a time (a save still running is not doubled). */
  saveHistoryInBackground(): Promise<void> {
    if (this.#historySave) return this.#historySave;
    const generation = ++this.#historyWrites;
    this.#historySave = writeFileDurablyAsync(path.join(this.#options.dataDir, HISTORY_FILE), this.#historyChunks(), 0o600, () => generation === this.#historyWrites)
      .catch((error: Error) => this.#options.log(`!!! latency history not saved: ${error.message}`))
      .finally(() => (this.#historySave = null));
    return this.#historySave;
  }

  dispose(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#unsubscribe();
  }

  #restore(): void {
    const { dataDir, monitor } = this.#options;
    try {
      const state = JSON.parse(fs.readFileSync(path.join(dataDir, STATE_FILE), 'utf8')) as StateFile;
      if (state?.format === STATE_FORMAT && state.monitor && typeof state.monitor.nodes === 'object') this.#previous = state;
    } catch {
      /* first start, or an unreadable file: start without it */
    }
    const histories = this.#unpackHistories();
    monitor.restoreState(this.#previous?.monitor ?? { last_sweep_at: null, nodes: {} }, (id) => histories.get(id) ?? null);
  }

  #started(): void {
    const previous = this.#previous;
    const why = !previous
      ? { reason: 'monitoring started', reason_code: 'monitor_started' }
      : previous.clean_stop
        ? { reason: `monitoring started; it had been stopped since ${previous.saved_at}`, reason_code: 'monitor_started_after_stop', reason_params: { since: previous.saved_at } }
        : { reason: `monitoring started; the previous run ended without a clean stop (a crash, a kill or a power loss), last seen at ${previous.saved_at}`, reason_code: 'monitor_started_after_crash', reason_params: { since: previous.saved_at } };
    this.#options.monitor.logEvent({ node: null, kind: 'monitor_started', from: previous ? 'stopped' : null, to: 'running', ...why });
    this.#previous = null;
    this.save({ withHistory: false });
    this.#timer = setInterval(() => this.save(), this.#options.saveEveryMs);
    this.#timer.unref?.();
  }

  #stopped(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#options.monitor.logEvent({ node: null, kind: 'monitor_stopped', from: 'running', to: 'stopped', reason: 'monitoring stopped (the service or app was shut down)', reason_code: 'monitor_stopped' });
    this.save({ cleanStop: true, withHistory: true });
  }

  /** [id length, id, bytes length, bytes]… for every node, made one node at a time; removed nodes simply drop out. */
  *#historyChunks(): Generator<Buffer> {
    for (const id of Object.keys(this.#options.monitor.exportState().nodes)) {
      const bytes = this.#options.monitor.historyOf(id)?.serialize();
      if (!bytes) continue;
      const idBytes = Buffer.from(id, 'utf8');
      const header = Buffer.alloc(8);
      header.writeUInt32LE(idBytes.length, 0);
      header.writeUInt32LE(bytes.length, 4);
      yield Buffer.concat([header, idBytes, bytes]);
    }
  }

  #unpackHistories(): Map<string, LatencyHistory> {
    const out = new Map<string, LatencyHistory>();
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(path.join(this.#options.dataDir, HISTORY_FILE));
    } catch {
      return out;
    }
    for (let offset = 0; offset + 8 <= bytes.length; ) {
      const idLength = bytes.readUInt32LE(offset);
      const length = bytes.readUInt32LE(offset + 4);
      const end = offset + 8 + idLength + length;
      if (end > bytes.length) break; // a torn tail: keep what came before
      const id = bytes.toString('utf8', offset + 8, offset + 8 + idLength);
      const history = LatencyHistory.deserialize(bytes.subarray(offset + 8 + idLength, end));
      if (history) out.set(id, history);
      offset = end;
    }
    return out;
  }
}
