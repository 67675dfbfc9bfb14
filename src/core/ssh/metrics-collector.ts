import type { ClientChannel } from 'ssh2';
import { OrchestratorError, type ErrorReason } from '../../shared/errors';
import type { Node } from '../../shared/schemas/node';
import type { NodeMetrics } from '../../shared/schemas/ssh';
import type { SshConnectionPool } from './ssh-connection-pool';

// Read with shell builtins, so a poll costs the node almost nothing: no new sshd session (the shell
// stays open between polls) and no new process. Only `df` is one, so root-disk usage, which changes
// slowly, is refreshed at most every DISK_REFRESH_MS; load, memory and uptime are read every poll.
export const DISK_REFRESH_MS = 5 * 60_000;
/** A poll's answer is a few hundred bytes; a node that sends more is dropped, not buffered. */
export const MAX_SHELL_BUFFER = 64 * 1024;
const DISK_LINE = 'df -Pk / 2>/dev/null | while read fs size used avail pct mnt; do [ "$mnt" = / ] && echo "disk $size $used $avail"; done';
// Defined once per shell; a poll then writes one short line (`mco_poll <n> <with disk>`) and gets one
// write back (one SSH packet). The shell's `read` takes a byte per system call and the kernel
// regenerates a /proc file on each, so nothing reads /proc/cpuinfo (2.6 KB per CPU: ~4,000 system calls
// a poll): the CPU count comes from the one-line /sys/devices/system/cpu/online, and /proc/meminfo is
// read only up to MemAvailable.
const POLL_FUNCTION = `mco_poll() {
read a b c rest < /proc/loadavg
if read cpus < /sys/devices/system/cpu/online; then cpus="cpuset $cpus"; else n=0; while read k rest; do [ "$k" = processor ] && n=$((n+1)); done < /proc/cpuinfo; cpus="cpus $n"; fi 2>/dev/null
mt=; ma=; while read k v u; do case $k in MemTotal:) mt=$v;; MemAvailable:) ma=$v; break;; esac; done < /proc/meminfo
disk=; [ "$2" = 1 ] && disk=$(${DISK_LINE})
read up idle < /proc/uptime
echo "__MCO_BEGIN_$1__
load $a $b $c
$cpus
memtotal $mt
memavail $ma
$disk
uptime $up
__MCO_END_$1__"
}
`;

/** CPUs in a kernel CPU list such as `0-3,6,8-9` (/sys/devices/system/cpu/online). */
export function countCpuList(list: string): number {
  let count = 0;
  for (const part of list.trim().split(',')) {
    const [from, to = from] = part.split('-').map(Number);
    if (!Number.isInteger(from) || !Number.isInteger(to) || to < from) return NaN;
    count += to - from + 1;
  }
  return count;
}

type DiskFields = Pick<NodeMetrics, 'disk_total_gb' | 'disk_used_pct'>;

/**
 * Why a node's metrics could not be read, as a reason a window can say in its language
 * (`errors.<reason>`); the collector adds the node when it reports it.
 */
export class MetricsFailure extends Error {
  constructor(
    readonly reason: 'metrics_missing' | 'metrics_too_large' | 'metrics_shell_closed' | 'metrics_shell_said' | 'metrics_timeout',
    message: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
  }
}

/** Parses a poll's answer; without a `disk` line the previous disk figures are kept. */
export function parseMetrics(text: string, at = new Date(), previousDisk?: DiskFields): NodeMetrics {
  const fields = new Map(text.split('\n').map((line) => [line.split(' ')[0], line.split(' ').slice(1).map(Number)]));
  const cpuset = /^cpuset (.+)$/m.exec(text)?.[1];
  if (cpuset !== undefined) fields.set('cpus', [countCpuList(cpuset)]);
  const need = (key: string): number[] => {
    const values = fields.get(key);
    if (!values || values.some(Number.isNaN)) throw new MetricsFailure('metrics_missing', `the node did not report "${key}" (is /proc available?)`, { key });
    return values;
  };
  const [load1, load5, load15] = need('load');
  const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
  let disk = previousDisk;
  if (fields.has('disk') || !disk) {
    const [size, used, avail] = need('disk');
    disk = { disk_total_gb: round(size / 1024 / 1024), disk_used_pct: round(used + avail > 0 ? (used / (used + avail)) * 100 : 0, 1) };
  }
  return {
    load_1: load1,
    load_5: load5,
    load_15: load15,
    cpu_count: need('cpus')[0],
    mem_total_mb: round(need('memtotal')[0] / 1024),
    mem_available_mb: round(need('memavail')[0] / 1024),
    ...disk,
    uptime_s: need('uptime')[0],
    collected_at: at.toISOString(),
  };
}

/** The shell ended; what the node said on stderr, if anything, is why (a refused shell says so there). */
function shellClosed(stderr: string): MetricsFailure {
  return stderr ? new MetricsFailure('metrics_shell_said', `the metrics shell closed: ${stderr}`, { detail: stderr }) : new MetricsFailure('metrics_shell_closed', 'the metrics shell closed');
}

/** A shell kept open on one node; each poll writes a short script to it and reads the answer. */
class MetricsShell {
  #buffer = '';
  #seq = 0;
  /** Whether mco_poll is defined in this shell yet (sent with the first poll). */
  #defined = false;
  #disk: { at: number; fields: DiskFields } | null = null;
  #waiter: { end: string; resolve: (text: string) => void; reject: (e: Error) => void } | null = null;
  closed = false;
  #closedBy: Error | null = null;

  constructor(
    private readonly channel: ClientChannel,
    private readonly release: () => void,
  ) {
    channel.on('data', (chunk: Buffer) => {
      if (this.closed) return;
      this.#buffer += chunk.toString('utf8');
      if (this.#buffer.length > MAX_SHELL_BUFFER) {
        this.#buffer = '';
        const kib = MAX_SHELL_BUFFER / 1024;
        return this.close(new MetricsFailure('metrics_too_large', `the node sent more than ${kib} KiB without a complete answer; its shell was closed`, { kib }));
      }
      const waiter = this.#waiter;
      if (!waiter) return;
      const endAt = this.#buffer.indexOf(waiter.end);
      if (endAt === -1) return;
      const text = this.#buffer.slice(0, endAt);
      this.#buffer = this.#buffer.slice(endAt + waiter.end.length);
      this.#waiter = null;
      waiter.resolve(text.slice(text.lastIndexOf('__\n') + 3));
    });
    // A node without /proc prints errors (the parse reports them); a node that refuses the shell says
    // why on stderr, and that reason is what the caller sees when the shell closes.
    let stderrTail = '';
    channel.stderr.on('data', (chunk: Buffer) => (stderrTail = (stderrTail + chunk.toString('utf8')).slice(-512)));
    channel.on('error', (error: Error) => this.close(error));
    channel.stderr.on('error', () => {}); // the channel's own error handler reports it
    channel.on('close', () => this.close(shellClosed(stderrTail.trim())));
  }

  poll(timeoutMs: number): Promise<NodeMetrics> {
    const n = ++this.#seq;
    const withDisk = !this.#disk || Date.now() - this.#disk.at >= DISK_REFRESH_MS;
    // The node may have closed the shell before the first poll (e.g. it refuses shells): say why.
    if (this.closed) return Promise.reject(this.#closedBy ?? shellClosed(''));
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.close(new MetricsFailure('metrics_timeout', `no metrics within ${timeoutMs / 1000}s`, { seconds: timeoutMs / 1000 }));
      }, timeoutMs);
      this.#waiter = {
        end: `__MCO_END_${n}__`,
        resolve: (text) => (clearTimeout(timer), resolve(text)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      };
      try {
        this.channel.write(`${this.#defined ? '' : POLL_FUNCTION}mco_poll ${n} ${withDisk ? 1 : 0}\n`);
        this.#defined = true;
      } catch (error) {
        this.close(error as Error);
      }
    }).then((text) => {
      const metrics = parseMetrics(text, new Date(), this.#disk?.fields);
      if (withDisk) this.#disk = { at: Date.now(), fields: { disk_total_gb: metrics.disk_total_gb, disk_used_pct: metrics.disk_used_pct } };
      return metrics;
    });
  }

  close(error?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.#closedBy = error ?? new Error('closed');
    this.#waiter?.reject(this.#closedBy);
    this.#waiter = null;
    try {
      this.channel.close();
    } catch {
      /* the connection may be gone already */
    }
    this.release();
  }
}

/** Agentless metrics over one long-lived channel per node, on an interval and on demand. */
export class MetricsCollector {
  readonly #shells = new Map<string, Promise<MetricsShell>>();
  readonly #latest = new Map<string, NodeMetrics>();
  readonly #inFlight = new Map<string, Promise<NodeMetrics>>();
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly pool: SshConnectionPool,
    /** Told about every successful poll (the SSH service fills in missing node sizes from it). */
    private readonly onCollected: (node: Node, metrics: NodeMetrics) => void = () => {},
  ) {}

  latest(nodeId: string): NodeMetrics | null {
    return this.#latest.get(nodeId) ?? null;
  }

  /** Polls now; concurrent calls for the same node share one poll. */
  collect(node: Node, timeoutMs = 10_000): Promise<NodeMetrics> {
    let pending = this.#inFlight.get(node.id);
    if (!pending) {
      pending = this.#poll(node, timeoutMs).finally(() => this.#inFlight.delete(node.id));
      this.#inFlight.set(node.id, pending);
    }
    return pending;
  }

  start(intervalMs: number, nodes: () => Node[]): void {
    this.stop();
    const tick = () => void Promise.allSettled(nodes().map((node) => this.collect(node)));
    this.#timer = setInterval(tick, intervalMs);
    this.#timer.unref?.();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  forget(nodeId: string): void {
    void this.#shells.get(nodeId)?.then((shell) => shell.close(), () => {});
    this.#shells.delete(nodeId);
    this.#latest.delete(nodeId);
  }

  closeAll(): void {
    this.stop();
    for (const id of [...this.#shells.keys()]) this.forget(id);
  }

  async #poll(node: Node, timeoutMs: number): Promise<NodeMetrics> {
    let shellPromise = this.#shells.get(node.id);
    if (shellPromise && (await shellPromise.catch(() => null))?.closed !== false) {
      this.#shells.delete(node.id);
      shellPromise = undefined;
    }
    if (!shellPromise) {
      shellPromise = this.#openShell(node);
      this.#shells.set(node.id, shellPromise);
      shellPromise.catch(() => this.#shells.delete(node.id));
    }
    try {
      const metrics = await (await shellPromise).poll(timeoutMs);
      this.#latest.set(node.id, metrics);
      this.onCollected(node, metrics);
      return metrics;
    } catch (error) {
      if (error instanceof OrchestratorError) throw error; // the connection's own, with its reason
      const message = (error as Error).message;
      const reason: ErrorReason = error instanceof MetricsFailure ? { code: error.reason, params: { node: node.id, ...error.params } } : { code: 'metrics_failed', params: { node: node.id, detail: message.slice(0, 200) } };
      throw new OrchestratorError('unavailable', `metrics of ${node.id}: ${message}`, [{ field: 'ssh', message: message.slice(0, 200) }], reason);
    }
  }

  async #openShell(node: Node): Promise<MetricsShell> {
    const { client, release } = await this.pool.hold(node);
    return new Promise((resolve, reject) => {
      client.exec('/bin/sh', (error, channel) => {
        if (error) {
          release();
          return reject(new OrchestratorError('unavailable', `could not open a metrics shell on ${node.id}: ${error.message}`, [], { code: 'metrics_shell_refused', params: { node: node.id, detail: error.message.slice(0, 200) } }));
        }
        resolve(new MetricsShell(channel, release));
      });
    });
  }
}
