import { fieldErrors } from '../../../shared/errors';
import { translateMessage } from '../i18n/field-error-text';
import type { FieldError } from '../../../shared/schemas/seed-format';
import { NodeSchema, type Node, type NodeInput } from '../../../shared/schemas/node';
import type { ProbeInput } from '../../../shared/schemas/probe';

/** The form keeps strings, as inputs do; this turns them into a node input and back. */
export interface FormProbe {
  type: string;
  port: string;
  path: string;
  /** HTTP only. */
  scheme: string;
  /** HTTP only: "200", or a range "200-299"; empty means any 2xx or 3xx. */
  expect: string;
}

export interface NodeFormValues {
  id: string;
  hostname: string;
  tailscale_ip: string;
  role: string;
  cpu_cores: string;
  memory_gb: string;
  tags: string;
  description: string;
  probes: FormProbe[];
  ssh_user: string;
  ssh_port: string;
  ssh_key_path: string;
  docker_enabled: boolean;
  docker_via: string;
  docker_host: string;
  docker_swarm_node: string;
}

export const EMPTY_FORM: NodeFormValues = {
  id: '', hostname: '', tailscale_ip: '', role: 'worker', cpu_cores: '', memory_gb: '', tags: '', description: '', probes: [], ssh_user: '', ssh_port: '', ssh_key_path: '',
  docker_enabled: false, docker_via: 'ssh', docker_host: '', docker_swarm_node: '',
};

export const NEW_PROBE: FormProbe = { type: 'tcp', port: '22', path: '', scheme: 'http', expect: '' };

const expectText = (expected: number | number[] | undefined): string =>
  expected === undefined ? '' : typeof expected === 'number' ? String(expected) : `${expected[0]}-${expected[1]}`;

export function formFromNode(node: Node): NodeFormValues {
  return {
    id: node.id,
    hostname: node.hostname,
    tailscale_ip: node.tailscale_ip,
    role: node.role,
    cpu_cores: node.cpu_cores === undefined ? '' : String(node.cpu_cores),
    memory_gb: node.memory_gb === undefined ? '' : String(node.memory_gb),
    tags: node.tags.join(', '),
    description: node.description,
    probes: node.probes.map((p) => ({
      type: p.type,
      port: p.port === undefined ? '' : String(p.port),
      path: p.type === 'http' ? p.path : '',
      scheme: p.type === 'http' ? p.scheme : 'http',
      expect: p.type === 'http' ? expectText(p.expect_status) : '',
    })),
    ssh_user: node.ssh?.user ?? '',
    ssh_port: node.ssh?.port === undefined ? '' : String(node.ssh.port),
    ssh_key_path: node.ssh?.key_path ?? '',
    docker_enabled: node.docker?.enabled ?? false,
    docker_via: node.docker?.via ?? 'ssh',
    docker_host: node.docker?.host ?? '',
    docker_swarm_node: node.docker?.swarm_node ?? '',
  };
}

const number = (value: string): number | string => (value.trim() === '' ? (undefined as never) : Number.isNaN(Number(value)) ? value : Number(value));

const required = (value: string): string => (value.trim() === '' ? (undefined as never) : value.trim());

/** "204" → 204, "200-299" → [200, 299]; anything else is passed on for the schema to refuse. */
function expectedStatus(text: string): number | [number, number] | string | undefined {
  const value = text.trim();
  if (value === '') return undefined;
  const range = /^(\d{3})\s*[-–]\s*(\d{3})$/.exec(value);
  if (range) return [Number(range[1]), Number(range[2])];
  return /^\d+$/.test(value) ? Number(value) : value;
}

function probeInput(p: FormProbe): ProbeInput {
  if (p.type !== 'http') return { type: p.type as 'tcp', port: number(p.port) as number };
  return {
    type: 'http',
    port: number(p.port) as number,
    path: p.path || '/health',
    scheme: (p.scheme || 'http') as 'http' | 'https',
    ...(p.expect?.trim() ? { expect_status: expectedStatus(p.expect) as number } : {}),
  };
}

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
    // Empty: unknown until SSH metrics fill it in.
    cpu_cores: number(values.cpu_cores) as number,
    memory_gb: number(values.memory_gb) as number,
    tags: values.tags.split(',').map((t) => t.trim()).filter(Boolean),
    description: values.description,
    probes: values.probes.map(probeInput),
    ssh: hasSsh ? (ssh as NodeInput['ssh']) : undefined,
    docker: dockerInput(values, base),
  };
}

/** Docker as the form says; switched off, what was set is kept (off) so switching back restores it. */
function dockerInput(values: NodeFormValues, base?: Node): NodeInput['docker'] {
  if (!values.docker_enabled) return base?.docker ? { ...base.docker, enabled: false } : undefined;
  return {
    enabled: true,
    via: values.docker_via as 'ssh' | 'local',
    ...(values.docker_host.trim() ? { host: values.docker_host.trim() } : {}),
    ...(values.docker_swarm_node.trim() ? { swarm_node: values.docker_swarm_node.trim() } : {}),
  };
}

/** Form field name for a schema path: `ssh.port` → ssh_port, `probes.0.port` → probes. */
export function formFieldOf(path: string): string {
  if (path.startsWith('ssh.')) return `ssh_${path.slice(4)}`;
  if (path.startsWith('docker.')) return `docker_${path.slice(7)}`;
  if (path.startsWith('probes')) return 'probes';
  return path.split('.')[0];
}

/** Validates with the shared node schema; returns errors keyed by form field, in the UI's language. */
export function validateNodeForm(values: NodeFormValues, base?: Node): Record<string, string> {
  const result = NodeSchema.safeParse(nodeInputFromForm(values, base));
  if (result.success) return {};
  return errorsByField(fieldErrors(result.error));
}

export function errorsByField(details: FieldError[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const { field, message, code, params } of details) {
    const key = formFieldOf(field);
    const text = translateMessage(message, code, params);
    errors[key] ??= field.startsWith('probes.') ? `${field}: ${text}` : text;
  }
  return errors;
}
