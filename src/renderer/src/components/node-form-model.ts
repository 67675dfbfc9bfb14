import { fieldErrors } from '../../../shared/errors';
import { NodeSchema, type Node, type NodeInput } from '../../../shared/schemas/node';

/** The form keeps strings, as inputs do; this turns them into a node input and back. */
export interface NodeFormValues {
  id: string;
  hostname: string;
  tailscale_ip: string;
  role: string;
  cpu_cores: string;
  memory_gb: string;
  tags: string;
  description: string;
  probes: Array<{ type: string; port: string; path: string }>;
  ssh_user: string;
  ssh_port: string;
  ssh_key_path: string;
}

export const EMPTY_FORM: NodeFormValues = {
  id: '', hostname: '', tailscale_ip: '', role: 'worker', cpu_cores: '', memory_gb: '', tags: '', description: '', probes: [], ssh_user: '', ssh_port: '', ssh_key_path: '',
};

export function formFromNode(node: Node): NodeFormValues {
  return {
    id: node.id,
    hostname: node.hostname,
    tailscale_ip: node.tailscale_ip,
    role: node.role,
    cpu_cores: String(node.cpu_cores),
    memory_gb: String(node.memory_gb),
    tags: node.tags.join(', '),
    description: node.description,
    probes: node.probes.map((p) => ({ type: p.type, port: p.port === undefined ? '' : String(p.port), path: p.type === 'http' ? p.path : '' })),
    ssh_user: node.ssh?.user ?? '',
    ssh_port: node.ssh?.port === undefined ? '' : String(node.ssh.port),
    ssh_key_path: node.ssh?.key_path ?? '',
  };
}

const number = (value: string): number | string => (value.trim() === '' ? (undefined as never) : Number.isNaN(Number(value)) ? value : Number(value));

const required = (value: string): string => (value.trim() === '' ? (undefined as never) : value.trim());

export function nodeInputFromForm(values: NodeFormValues, base?: Node): NodeInput {
  // Fields the form does not show (maintenance, mute, Tailscale facts) are kept from the node as it is.
  const { health: _health, ...kept } = (base ?? {}) as Partial<Node> & { health?: unknown };
  const ssh = { user: values.ssh_user.trim() || undefined, port: number(values.ssh_port), key_path: values.ssh_key_path.trim() || undefined };
  const hasSsh = Object.values(ssh).some((v) => v !== undefined);
  return {
    ...kept,
    id: required(values.id),
    hostname: required(values.hostname),
    tailscale_ip: required(values.tailscale_ip),
    role: values.role as NodeInput['role'],
    cpu_cores: number(values.cpu_cores) as number,
    memory_gb: number(values.memory_gb) as number,
    tags: values.tags.split(',').map((t) => t.trim()).filter(Boolean),
    description: values.description,
    probes: values.probes.map((p) =>
      p.type === 'http' ? { type: 'http' as const, port: number(p.port) as number, path: p.path || '/health' } : { type: p.type as 'tcp', port: number(p.port) as number },
    ),
    ssh: hasSsh ? (ssh as NodeInput['ssh']) : undefined,
  };
}

/** Form field name for a schema path: `ssh.port` → ssh_port, `probes.0.port` → probes. */
export function formFieldOf(path: string): string {
  if (path.startsWith('ssh.')) return `ssh_${path.slice(4)}`;
  if (path.startsWith('probes')) return 'probes';
  return path.split('.')[0];
}

/** Validates with the shared node schema; returns errors keyed by form field. */
export function validateNodeForm(values: NodeFormValues, base?: Node): Record<string, string> {
  const result = NodeSchema.safeParse(nodeInputFromForm(values, base));
  if (result.success) return {};
  return errorsByField(fieldErrors(result.error));
}

export function errorsByField(details: Array<{ field: string; message: string }>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const { field, message } of details) {
    const key = formFieldOf(field);
    errors[key] ??= field.startsWith('probes.') ? `${field}: ${message}` : message;
  }
  return errors;
}
