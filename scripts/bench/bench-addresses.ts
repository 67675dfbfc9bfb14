/**
 * Where the benches listen: a loopback /16 block and a run of ports, from `--block=127.58` and
 * `--port-base=18499` (or MCO_BENCH_BLOCK and MCO_BENCH_PORT_BASE, which the bench passes on to its
 * workers), so a demo or another service on the defaults does not stand in the way.
 */
const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

export const BENCH_BLOCK = arg('block') ?? process.env.MCO_BENCH_BLOCK ?? '127.58';
export const BENCH_PORT_BASE = Number(arg('port-base') ?? process.env.MCO_BENCH_PORT_BASE ?? 18_499);
if (!/^127\.\d{1,3}$/.test(BENCH_BLOCK)) throw new Error(`--block must be a loopback /16 such as 127.58 (got ${BENCH_BLOCK})`);
if (!Number.isInteger(BENCH_PORT_BASE) || BENCH_PORT_BASE < 1024 || BENCH_PORT_BASE > 65_000) throw new Error(`--port-base must be a port from 1024 to 65000 (got ${BENCH_PORT_BASE})`);
// Workers are other processes: they read the same choice from the environment.
process.env.MCO_BENCH_BLOCK = BENCH_BLOCK;
process.env.MCO_BENCH_PORT_BASE = String(BENCH_PORT_BASE);

/** An address in the bench's block: benchHost(0, 9) is 127.58.0.9 by default. */
export const benchHost = (third: number, fourth: number): string => `${BENCH_BLOCK}.${third}.${fourth}`;
/** A port `offset` above the base (the defaults' 18,499 … 18,700 are offsets 0 … 201; sshd is separate). */
export const benchPort = (offset: number): number => BENCH_PORT_BASE + offset;
