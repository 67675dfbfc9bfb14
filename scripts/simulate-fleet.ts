// Serves a simulated fleet in its own process (so its CPU is not counted against the prober):
//   simulate-fleet.ts <count> <hanging> <block> [port]
// Every 10th node hangs after accept until `hanging` are chosen; prints READY once listening.
import { FleetSimulator, loopbackAddress } from '../src/core/simulator/fleet-simulator';

const [count, hanging, block, port = 8080] = process.argv.slice(2).map(Number);
const step = hanging > 0 ? Math.floor(count / hanging) : Infinity;
const specs = Array.from({ length: count }, (_, i) => ({
  ip: loopbackAddress(i, block),
  http_port: port,
  behaviour: i % step === 0 && i / step < hanging ? ('hanging' as const) : ('healthy' as const),
}));
const sim = await new FleetSimulator(specs).start();
process.stdout.write('READY\n');
const stop = async () => {
  await sim.stop();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
