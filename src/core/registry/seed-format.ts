import { isDeepStrictEqual } from 'node:util';
import { fieldErrors, parseOrThrow } from '../../shared/errors';
import { NodeSchema, type Node } from '../../shared/schemas/node';
import { addressOwner, addressTakenMessage } from './unique-address';
import { SeedDocumentSchema, type ImportReport, type SeedDocument } from '../../shared/schemas/seed-format';

export interface ImportPlan {
  report: ImportReport;
  /** Valid nodes that would be added or updated. */
  changes: Node[];
}

/**
 * Validates a seed-format document node by node against the current registry.
 * Nothing is applied here; the registry applies `changes` in one durable write.
 */
export function planSeedImport(document: unknown, nodes: ReadonlyMap<string, Node>): ImportPlan {
  const doc = parseOrThrow(SeedDocumentSchema, document);
  const existing = (id: string) => nodes.get(id);
  const report: ImportReport = { applied: false, added: [], updated: [], unchanged: [], invalid: [], changed_fields: {} };
  const changes: Node[] = [];
  // The registry as it would be after the nodes planned so far; later nodes are checked against it.
  const planned = new Map(nodes);
  for (const [key, raw] of Object.entries(doc.nodes)) {
    // The seed keyed nodes by id and repeated it inside; either alone is accepted.
    const candidate = raw && typeof raw === 'object' && !Array.isArray(raw) ? { id: key, ...(raw as object) } : raw;
    const parsed = NodeSchema.safeParse(candidate);
    if (!parsed.success) {
      for (const detail of fieldErrors(parsed.error)) report.invalid.push({ id: key, field: detail.field, reason: detail.message });
      continue;
    }
    const node = parsed.data;
    if (node.id !== key) {
      report.invalid.push({ id: key, field: 'id', reason: `"${node.id}" does not match its key "${key}"` });
      continue;
    }
    const current = existing(node.id);
    if (current && isDeepStrictEqual(current, node)) {
      report.unchanged.push(node.id);
      continue;
    }
    // The same address as another node, here or already registered, is refused like any bad field.
    const owner = addressOwner(planned.values(), node);
    if (owner) {
      report.invalid.push({ id: key, field: 'tailscale_ip', reason: addressTakenMessage(owner) });
      continue;
    }
    planned.set(node.id, node);
    if (!current) report.added.push(node.id);
    else {
      report.updated.push(node.id);
      report.changed_fields[node.id] = changedFields(current, node);
    }
    changes.push(node);
  }
  return { report, changes };
}

/** The fields in which two versions of a node differ (an import's report, a nodes-file sync's events). */
export function changedFields(previous: Node, node: Node): string[] {
  return (Object.keys({ ...previous, ...node }) as Array<keyof Node>).filter((k) => !isDeepStrictEqual(previous[k], node[k]));
}

export function toSeedDocument(nodes: Iterable<Node>): SeedDocument {
  const out: SeedDocument = { nodes: {} };
  for (const node of nodes) out.nodes[node.id] = node;
  return out;
}
