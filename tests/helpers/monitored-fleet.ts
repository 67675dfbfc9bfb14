import { confStoreFactory } from '../../src/core/registry/json-store';
import { NodeRegistry } from '../../src/core/registry/node-registry';
import { ClusterMonitor } from '../../src/core/monitor/cluster-monitor';
import { EventLog } from '../../src/core/monitor/event-log';
import { FleetSimulator, loopbackAddress } from '../../src/core/simulator/fleet-simulator';
import type { SimBehaviour, SimNodeSpec } from '../../src/core/simulator/sim-node';
import { TestTimingSettingsSchema, type MonitorSettingsInput } from '../../src/shared/schemas/settings';
import type { NodeRole } from '../../src/shared/schemas/node';
import { tempDir } from './temp-dir';

export interface FleetNode {
  behaviour: SimBehaviour;
  role?: NodeRole;
  spec?: Partial<SimNodeSpec>;
}

/** A registry of simulated nodes on a loopback block, a simulator serving them and a monitor over both. */
export async function monitoredFleet(fleet: FleetNode[], block: number, settings: MonitorSettingsInput = {}) {
  const dataDir = tempDir();
  const registry = new NodeRegistry({ dataDir, storeFactory: confStoreFactory });
  const specs = fleet.map((n, i) => ({ ip: loopbackAddress(i, block), http_port: 8080, behaviour: n.behaviour, ...n.spec }));
  const sim = await new FleetSimulator(specs).start();
  fleet.forEach((n, i) =>
    registry.create({
      id: `node-${i + 1}`,
      hostname: `sim-${i + 1}`,
      tailscale_ip: specs[i].ip,
      role: n.role ?? 'worker',
      cpu_cores: 2,
      memory_gb: 4,
      probes: [{ type: 'http', port: 8080 }],
    }),
  );
  const monitor = new ClusterMonitor({
    registry,
    eventLog: new EventLog({ dataDir }),
    settings: TestTimingSettingsSchema.parse({ timeout_s: 0.5, interval_s: 0.2, jitter: 0, ...settings }),
  });
  const ipOf = (i: number) => specs[i].ip;
  return { registry, monitor, sim, dataDir, ipOf, close: async () => { monitor.dispose(); await sim.stop(); } };
}
