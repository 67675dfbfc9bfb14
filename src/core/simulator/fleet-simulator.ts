import { SimNode, type SimBehaviour, type SimNodeSpec } from './sim-node';

/** A whole simulated fleet on loopback, for tests, the demo and the bench. */
export class FleetSimulator {
  readonly nodes = new Map<string, SimNode>();

  constructor(specs: SimNodeSpec[]) {
    for (const spec of specs) {
      if (!/^127\./.test(spec.ip)) throw new Error(`simulated nodes live on loopback only, not ${spec.ip}`);
      const name = spec.name ?? spec.ip;
      if (this.nodes.has(name)) throw new Error(`two simulated nodes named ${name}: give each a name of its own`);
      this.nodes.set(name, new SimNode(spec));
    }
  }

  async start(): Promise<this> {
    await Promise.all([...this.nodes.values()].map((node) => node.start()));
    return this;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.nodes.values()].map((node) => node.stop()));
  }

  /** Sets a node's behaviour, found by its name (its IP unless named). */
  async set(name: string, behaviour: SimBehaviour): Promise<void> {
    const node = this.nodes.get(name);
    if (!node) throw new Error(`no simulated node at ${name}`);
    await node.setBehaviour(behaviour);
  }
}

/** The i-th address of a loopback block: 127.<block>.<i / 250>.<1 + i % 250>; each test picks its own block. */
export function loopbackAddress(i: number, block = 10): string {
  return `127.${block}.${Math.floor(i / 250)}.${1 + (i % 250)}`;
}
