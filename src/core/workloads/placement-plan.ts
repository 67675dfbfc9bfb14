import type { Placement, PlanNode, PlanNote, ServicePlan } from '../../shared/schemas/workloads';
import type { EngineSwarmNode } from '../containers/docker-engine';
import { ROLE_LABEL, tagLabelKey } from './node-labels';

// Where Swarm's scheduler would put a spec's tasks now, and why it cannot put the rest: its filters
// (node ready and active, constraints, resources, max replicas per node) and its spread (fewest tasks
// of the service first, then fewest tasks), from the figures Swarm itself uses: each node's
// described resources less the reservations of the tasks assigned to it. Swarm still places every
// task; this only predicts it.

const NANO = 1e9;
const MB = 1024 * 1024;
/** Task states that hold a node's resources in Swarm's scheduler (assigned up to running). */
export const HOLDING_STATES = new Set(['assigned', 'accepted', 'preparing', 'ready', 'starting', 'running']);

/** A node as the plan sees it: Swarm's view of it (null when not in the swarm) and what we know. */
export interface PlanNodeFacts {
  id: string;
  node_id: string | null;
  swarm: EngineSwarmNode | null;
  /** The labels the node will carry when a deploy has synced ours (node-labels.ts). */
  labels: Record<string, string>;
  reserved: { nanoCpus: number; memoryBytes: number };
  /** Tasks holding resources on the node, and how many of them are the planned service's. */
  tasks: number;
  serviceTasks: number;
  warnings: PlanNote[];
}

export interface PlanRequest {
  name: string;
  mode: 'replicated' | 'global' | 'job';
  /** Replicas, or a job's runs at once; ignored for global. */
  replicas: number;
  nanoCpus: number;
  memoryBytes: number;
  placement: Placement;
  /** Every constraint Swarm gets: ours (from `placement`) and any set outside this app. */
  constraints: string[];
  /** 0: no limit. */
  maxPerNode: number;
}

type Params = Record<string, string | number>;
const note = (code: string, message: string, params: Params): PlanNote => ({ code, message, params });
const cpus = (nano: number): number => Math.round((nano / NANO) * 100) / 100;
const mb = (bytes: number): number => Math.floor(bytes / MB);
const ordinal = (n: number): string => `${n}${n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th')}`;

/** Swarm's constraint match: `key==value` or `key!=value`, values compared case-blind, a missing label as "". */
function constraintHolds(constraint: string, node: EngineSwarmNode, labels: Record<string, string>): boolean {
  const m = /^\s*([^=!\s]+)\s*(==|!=)\s*(.*?)\s*$/.exec(constraint);
  if (!m) return true; // Swarm refuses a malformed constraint at create; nothing to predict
  const [, key, op, expected] = m;
  const k = key.toLowerCase();
  let actual: string | undefined;
  if (k === 'node.id') actual = node.ID;
  else if (k === 'node.hostname') actual = node.Description.Hostname;
  else if (k === 'node.role') actual = node.Spec.Role;
  else if (k.startsWith('node.labels.')) actual = labels[key.slice('node.labels.'.length)] ?? '';
  else return true; // engine labels and platform: not read here, taken as met
  const equal = actual.toLowerCase() === expected.toLowerCase();
  return op === '==' ? equal : !equal;
}

/** Why the node cannot run any task of the request: not in the swarm, not ready, not active, or its constraints. */
function ineligibility(req: PlanRequest, n: PlanNodeFacts): PlanNote[] {
  if (!n.swarm) return [note('unavailable', 'not in the swarm', { state: 'not_in_swarm' })];
  if (n.swarm.Status.State !== 'ready') return [note('unavailable', `Swarm sees it ${n.swarm.Status.State}`, { state: n.swarm.Status.State })];
  if (n.swarm.Spec.Availability !== 'active') return [note('unavailable', n.swarm.Spec.Availability === 'drain' ? 'drained' : 'paused', { state: n.swarm.Spec.Availability })];
  const reasons: PlanNote[] = [];
  const roles = req.placement.roles ?? [];
  const role = n.labels[ROLE_LABEL];
  if (roles.length > 0 && !roles.includes(role as never)) {
    reasons.push(note('placement', role ? `its role is ${role}, not ${roles.join(' or ')}` : `it has no role of ours (${roles.join(' or ')} wanted): not in our registry`, { role: role ?? '', roles: roles.join(', ') }));
  }
  const missing = (req.placement.tags ?? []).filter((tag) => n.labels[tagLabelKey(tag)] !== 'true');
  if (missing.length > 0) reasons.push(note('placement', `it has no tag ${missing.join(', ')}`, { tags: missing.join(', ') }));
  if (reasons.length === 0) {
    const failed = req.constraints.filter((c) => !/^node\.labels\.mco\./.test(c) && !constraintHolds(c, n.swarm!, n.labels));
    if (failed.length > 0) reasons.push(note('placement', `it does not meet ${failed.join(', ')}`, { constraints: failed.join(', ') }));
  }
  return reasons;
}

interface Slot {
  facts: PlanNodeFacts;
  /** Ready, active and within the constraints: only room limits it. */
  eligible: boolean;
  reasons: PlanNote[];
  /** Tasks it can hold in all (Infinity: nothing limits it). */
  room: number;
  placed: number;
  free: { nanoCpus: number; memoryBytes: number };
}

/** How many tasks of `nano` CPUs and `bytes` memory fit in what is free, within the per-node limit. */
function roomFor(free: Slot['free'], nano: number, bytes: number, maxLeft: number): number {
  const byCpu = nano > 0 ? Math.floor(Math.max(0, free.nanoCpus) / nano) : Infinity;
  const byMemory = bytes > 0 ? Math.floor(Math.max(0, free.memoryBytes) / bytes) : Infinity;
  return Math.min(byCpu, byMemory, maxLeft);
}

/** What stops the node taking one more task, said with its figures. */
function limitOf(req: PlanRequest, slot: Slot): PlanNote | null {
  const leftCpu = slot.free.nanoCpus - slot.placed * req.nanoCpus;
  const leftMemory = slot.free.memoryBytes - slot.placed * req.memoryBytes;
  const after = slot.placed > 0 ? ` after ${slot.placed} of these` : '';
  if (req.maxPerNode > 0 && slot.facts.serviceTasks + slot.placed >= req.maxPerNode) {
    return note('max_replicas_per_node', `it already holds ${req.maxPerNode} of this service (max_replicas_per_node)`, { max: req.maxPerNode });
  }
  if (req.nanoCpus > 0 && leftCpu < req.nanoCpus) return note('insufficient_cpu', `${cpus(Math.max(0, leftCpu))} CPUs left${after}, ${cpus(req.nanoCpus)} needed`, { free: cpus(Math.max(0, leftCpu)), need: cpus(req.nanoCpus) });
  if (req.memoryBytes > 0 && leftMemory < req.memoryBytes) return note('insufficient_memory', `${mb(Math.max(0, leftMemory))} MB of memory left${after}, ${mb(req.memoryBytes)} MB needed`, { free: mb(Math.max(0, leftMemory)), need: mb(req.memoryBytes) });
  return null;
}

/** "sw-1, sw-2 and sw-3 take one each" or "sw-1 takes 2, sw-2 takes 1". */
function distribution(slots: Slot[]): string {
  const placed = slots.filter((s) => s.placed > 0);
  if (placed.length === 0) return '';
  const counts = new Set(placed.map((s) => s.placed));
  const n = placed[0].placed;
  if (placed.length === 1) return `${placed[0].facts.id} takes ${n === 1 ? 'it' : `all ${n}`}`;
  if (counts.size === 1) return `${list(placed.map((s) => s.facts.id))} take ${n === 1 ? 'one' : n} each`;
  return placed.map((s) => `${s.facts.id} takes ${s.placed}`).join(', ');
}

const list = (items: string[]): string => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/** Nodes that cannot run the spec at all, grouped by why: "drained: w2; not in the swarm: s1, s2". */
function ineligibleText(slots: Slot[]): string {
  const byWhy = new Map<string, string[]>();
  for (const s of slots.filter((x) => !x.eligible)) {
    const why = s.reasons.map((r) => r.message).join(', ');
    byWhy.set(why, [...(byWhy.get(why) ?? []), s.facts.id]);
  }
  return [...byWhy].map(([why, ids]) => `${why}: ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ` and ${ids.length - 5} more` : ''}`).join('; ');
}

/** Why no node takes the next task: one shared reason said once, else each node's; then the nodes that cannot run it at all. */
function whyNot(slots: Slot[], next: string, req: PlanRequest): string {
  const eligible = slots.filter((s) => s.eligible);
  const others = slots.some((s) => !s.eligible) ? ineligibleText(slots) : '';
  if (eligible.length === 0) {
    const tags = new Set(slots.flatMap((s) => s.reasons.filter((r) => r.code === 'placement' && r.params.tags).map((r) => String(r.params.tags))));
    const allPlacement = slots.length > 0 && slots.every((s) => s.reasons.some((r) => r.code === 'placement') || s.reasons.some((r) => r.params.state === 'not_in_swarm'));
    if (allPlacement && tags.size === 1) return `no node of the swarm has tag ${[...tags][0]}`;
    return slots.length === 0 ? 'the swarm has no node' : `no node can run it (${others})`;
  }
  const limits = eligible.map((s) => ({ id: s.facts.id, why: s.reasons }));
  const codes = new Set(limits.flatMap((l) => l.why.map((w) => w.code)));
  const tail = others ? ` (${others})` : '';
  if (codes.size === 1 && codes.has('insufficient_cpu')) return `none has ${cpus(req.nanoCpus)} CPUs left for ${next}${tail}`;
  if (codes.size === 1 && codes.has('insufficient_memory')) return `none has ${mb(req.memoryBytes)} MB of memory left for ${next}${tail}`;
  if (codes.size === 1 && codes.has('max_replicas_per_node')) return `every eligible node already holds ${req.maxPerNode} (max_replicas_per_node)${tail}`;
  return `no node can take ${next}: ${limits.map((l) => `${l.id} ${l.why.map((w) => w.message).join(', ')}`).join('; ')}${tail}`;
}

/** Places `wanted` tasks one at a time as Swarm spreads them: fewest of this service, then fewest tasks, then by id. */
function spread(slots: Slot[], wanted: number): number {
  const open = slots.filter((s) => s.eligible && s.room > 0);
  const before = (a: Slot, b: Slot) => a.facts.serviceTasks + a.placed - (b.facts.serviceTasks + b.placed) || a.facts.tasks + a.placed - (b.facts.tasks + b.placed) || (a.facts.id < b.facts.id ? -1 : 1);
  let placed = 0;
  for (; placed < wanted; placed++) {
    let best: Slot | null = null;
    for (const s of open) if (s.placed < s.room && (best === null || before(s, best) < 0)) best = s; // one pass, no sort: 1,000 replicas on hundreds of nodes stay cheap
    if (!best) break;
    best.placed++;
  }
  return placed;
}

/** The largest reservation of one dimension (the other kept) with which `wanted` fit; null when none does. */
function largestThatFits(slots: Slot[], req: PlanRequest, wanted: number, dimension: 'cpu' | 'memory'): number | null {
  const eligible = slots.filter((s) => s.eligible);
  const maxLeft = (s: Slot) => (req.maxPerNode > 0 ? Math.max(0, req.maxPerNode - s.facts.serviceTasks) : Infinity);
  const total = (size: number) =>
    eligible.reduce((sum, s) => sum + (dimension === 'cpu' ? roomFor(s.free, size, req.memoryBytes, maxLeft(s)) : roomFor(s.free, req.nanoCpus, size, maxLeft(s))), 0);
  const step = dimension === 'cpu' ? NANO / 100 : MB;
  // Fewer tasks fit as the size grows, so the largest size (in steps of 0.01 CPU or 1 MB) with which
  // all fit is found by halving: a few passes over the nodes, however many replicas a viewer asks for.
  const most = Math.max(0, ...eligible.map((s) => (dimension === 'cpu' ? s.free.nanoCpus : s.free.memoryBytes)));
  let low = 0; // in steps: 0 means none fits
  let high = Math.floor(most / step);
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (total(mid * step) >= wanted) low = mid;
    else high = mid - 1;
  }
  return low > 0 ? low * step : null;
}

export function planPlacement(req: PlanRequest, nodes: PlanNodeFacts[]): Omit<ServicePlan, 'conflicts' | 'manager_node_id'> {
  const slots: Slot[] = nodes.map((facts) => {
    const described = facts.swarm?.Description.Resources;
    const free = { nanoCpus: (described?.NanoCPUs ?? 0) - facts.reserved.nanoCpus, memoryBytes: (described?.MemoryBytes ?? 0) - facts.reserved.memoryBytes };
    const reasons = ineligibility(req, facts);
    const maxLeft = req.maxPerNode > 0 ? Math.max(0, req.maxPerNode - facts.serviceTasks) : Infinity;
    const eligible = reasons.length === 0;
    return { facts, eligible, reasons, room: eligible ? roomFor(free, req.nanoCpus, req.memoryBytes, maxLeft) : 0, placed: 0, free };
  });
  const eligible = slots.filter((s) => s.eligible);
  // A global service wants a task on every eligible node; a replicated one (or a job's runs at once) is spread.
  const wanted = req.mode === 'global' ? eligible.length : req.replicas;
  if (req.mode === 'global') for (const s of eligible) s.placed = Math.min(1, s.room);
  const fits = req.mode === 'global' ? eligible.filter((s) => s.placed === 1).length : spread(slots, wanted);
  // A full node says what stops it when that is why some do not fit, or when it can take none at all.
  for (const s of eligible) {
    if (s.placed < s.room || (fits === wanted && s.room > 0)) continue;
    const limit = limitOf(req, s);
    if (limit) s.reasons.push(limit);
  }
  const spreadText = distribution(slots);
  const next = req.mode === 'global' ? 'it' : `the ${ordinal(fits + 1)}`;
  const summary =
    req.mode === 'global'
      ? wanted === 0
        ? whyNot(slots, next, req)
        : `${fits} of ${wanted} eligible nodes can run it${fits < wanted ? `; ${whyNot(slots, next, req)}` : ''}`
      : wanted === 0
        ? 'no replicas wanted: nothing to place'
        : `${fits} of ${wanted} fit${spreadText ? `: ${spreadText}` : ''}${fits < wanted ? `; ${whyNot(slots, next, req)}` : ''}`;

  let suggestion: ServicePlan['suggestion'] = null;
  if (fits < wanted && eligible.length > 0 && req.mode !== 'global') {
    const cpu = req.nanoCpus > 0 ? largestThatFits(slots, req, wanted, 'cpu') : null;
    const memory = req.memoryBytes > 0 ? largestThatFits(slots, req, wanted, 'memory') : null;
    if (cpu !== null || memory !== null) {
      const options = [cpu !== null ? `${cpus(cpu)} CPU each` : null, memory !== null ? `${mb(memory)} MB of memory each` : null].filter(Boolean);
      suggestion = { cpus: cpu === null ? null : cpus(cpu), memory_mb: memory === null ? null : mb(memory), fits: wanted, text: `with ${options.join(', or with ')}, ${wanted} fit` };
    }
  }
  const planNodes: PlanNode[] = slots.map((s) => ({
    id: s.facts.id,
    node_id: s.facts.node_id,
    swarm_node: s.facts.swarm?.Description.Hostname ?? null,
    fits: s.placed,
    room: Number.isFinite(s.room) ? s.room : null,
    free: { cpus: cpus(Math.max(0, s.free.nanoCpus)), memory_mb: mb(Math.max(0, s.free.memoryBytes)) },
    reasons: s.reasons,
    warnings: s.facts.warnings,
  }));
  return { name: req.name, mode: req.mode, wanted, fits, summary, suggestion, nodes: planNodes };
}
