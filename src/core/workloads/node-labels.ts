import type { Node } from '../../shared/schemas/node';
import type { NodeRegistry } from '../registry/node-registry';
import type { ContainerService } from '../containers/container-service';
import type { EngineSwarmNode } from '../containers/docker-engine';
import type { SwarmService, SwarmSnapshot } from '../containers/swarm-service';

// Our registry's role and tags as labels on each Swarm node, so a placement by role or tag is a
// Swarm constraint and Swarm's own scheduler honours it.

export const ROLE_LABEL = 'mco.role';
export const TAG_LABEL_PREFIX = 'mco.tag.';
/** Set on every node we label: "none of these roles" must not match a node we never labelled. */
export const MANAGED_LABEL = 'mco.managed';

/**
 * A tag as a label key Swarm's constraints accept (letters, digits, "-", "_", "." and case-blind):
 * everything else, "_" and capitals included, is written "_" and two hex digits, so no two tags meet.
 */
export const tagLabelKey = (tag: string): string => TAG_LABEL_PREFIX + tag.replace(/[^a-z0-9.-]/g, (c) => `_${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

/** Only these are escaped in a tag (TagSchema allows letters, digits and _ . : / -). */
const ESCAPED = /^[A-Z_:/]$/;
/**
 * The tag a label key (after `mco.tag.`) stands for. A key that is not a clean escape is a raw tag,
 * as versions before the escaping wrote it into placement constraints, and is read as written.
 */
export function tagFromLabelKey(key: string): string {
  let clean = true;
  const decoded = key.replace(/_([0-9a-f]{2})|[^a-z0-9.-]/g, (match, hex: string | undefined) => {
    const c = hex ? String.fromCharCode(parseInt(hex, 16)) : '';
    if (!hex || !ESCAPED.test(c)) clean = false;
    return c;
  });
  return clean ? decoded : key;
}

/** The node's labels with ours replaced by what the registry says; labels set by others are kept. */
export function labelsFor(node: Node, current: Record<string, string> = {}): Record<string, string> {
  const theirs = Object.fromEntries(Object.entries(current).filter(([k]) => !k.startsWith('mco.')));
  return { ...theirs, [MANAGED_LABEL]: 'true', [ROLE_LABEL]: node.role, ...Object.fromEntries(node.tags.map((t) => [tagLabelKey(t), 'true'])) };
}

const sameLabels = (a: Record<string, string>, b: Record<string, string>): boolean => {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
};

/** Keeps the Swarm nodes' mco.* labels equal to our registry: at each deploy, and soon after a role or tags change. */
export class SwarmLabelSync {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<unknown> = Promise.resolve();
  /** The last background sync's failure, if any (a swarm that is down is not an error of ours). */
  lastError: string | null = null;
  readonly #off: () => void;

  constructor(
    private readonly registry: NodeRegistry,
    private readonly containers: ContainerService,
    private readonly swarm: SwarmService,
  ) {
    this.#off = registry.events.on('change', (change) => {
      if (change.type === 'removed' || !change.node.docker?.enabled) return;
      const before = change.type === 'updated' ? change.previous : null;
      // Role, tags, or what matches the node to Swarm's (hostname, docker settings).
      if (before?.docker?.enabled && before.role === change.node.role && String(before.tags) === String(change.node.tags) && before.hostname === change.node.hostname && before.docker.swarm_node === change.node.docker.swarm_node) return;
      this.#soon();
    });
  }

  #soon(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#running = this.#running.then(() => this.sync()).then(
        () => (this.lastError = null),
        (error: Error) => (this.lastError = error.message),
      );
    }, 300);
    this.#timer.unref();
  }

  /** Writes the labels of every matched Swarm node whose labels differ; answers the nodes it changed. */
  async sync(snap?: SwarmSnapshot): Promise<string[]> {
    const s = snap ?? (await this.swarm.snapshot());
    const manager = this.registry.require(s.managerNodeId);
    const changed: string[] = [];
    for (const [swarmId, ourId] of s.match) {
      const node = this.registry.get(ourId);
      const seen = s.nodes.find((n) => n.ID === swarmId);
      if (!node || !seen || sameLabels(seen.Spec.Labels ?? {}, labelsFor(node, seen.Spec.Labels ?? {}))) continue;
      await this.containers.call(manager, (e) => this.#write(swarmId, node, () => e.swarmNode(swarmId), (fresh, spec) => e.updateSwarmNodeSpec(fresh, spec)));
      changed.push(ourId);
    }
    return changed;
  }

  /** Re-reads the node for its version; one retry when another writer (the failover policy) got in between. */
  async #write(swarmId: string, node: Node, read: () => Promise<EngineSwarmNode>, write: (fresh: EngineSwarmNode, spec: EngineSwarmNode['Spec']) => Promise<void>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const fresh = await read();
      try {
        return await write(fresh, { ...fresh.Spec, Labels: labelsFor(node, fresh.Spec.Labels ?? {}) });
      } catch (error) {
        if (attempt > 0 || !/out of sequence/i.test((error as Error).message)) throw error;
      }
    }
  }

  dispose(): void {
    this.#off();
    if (this.#timer) clearTimeout(this.#timer);
  }
}
