import { fieldErrors } from '../../../shared/errors';
import { ServiceSpecSchema, type ServiceSpecInput } from '../../../shared/schemas/workloads';
import { translateMessage } from '../i18n/field-error-text';
import type { FieldError } from '../../../shared/schemas/seed-format';

/** The deploy form keeps strings, as inputs do; this turns them into a service spec (validated by the shared schema). */
export interface ServiceFormValues {
  name: string;
  image: string;
  mode: string;
  replicas: string;
  /** Empty: no per-node limit. */
  max_replicas_per_node: string;
  cpus: string;
  memory_mb: string;
  roles: string[];
  tags: string;
  /** "8080:80" or "8080:80/udp", comma-separated. */
  ports: string;
  /** KEY=VALUE, one per line. */
  env: string;
  /** One argument per line. */
  command: string;
}

export const EMPTY_SERVICE_FORM: ServiceFormValues = { name: '', image: '', mode: 'replicated', replicas: '1', max_replicas_per_node: '', cpus: '', memory_mb: '', roles: [], tags: '', ports: '', env: '', command: '' };

const num = (value: string): number | string | undefined => (value.trim() === '' ? undefined : Number.isNaN(Number(value)) ? value : Number(value));
const lines = (text: string): string[] => text.split('\n').map((l) => l.trim()).filter(Boolean);

function ports(text: string): unknown[] {
  return text.split(',').map((p) => p.trim()).filter(Boolean).map((p) => {
    const m = /^(\d+):(\d+)(?:\/(tcp|udp))?$/.exec(p);
    return m ? { published: Number(m[1]), target: Number(m[2]), protocol: m[3] ?? 'tcp' } : { published: p, target: p };
  });
}

export function serviceSpecFromForm(v: ServiceFormValues): ServiceSpecInput {
  const reservations = { cpus: num(v.cpus), memory_mb: num(v.memory_mb) };
  const tags = v.tags.split(',').map((t) => t.trim()).filter(Boolean);
  const env = Object.fromEntries(lines(v.env).map((l) => {
    const at = l.indexOf('=');
    return at < 0 ? [l, ''] : [l.slice(0, at), l.slice(at + 1)];
  }));
  return {
    name: v.name.trim(),
    image: v.image.trim(),
    mode: v.mode as ServiceSpecInput['mode'],
    ...(v.mode === 'replicated' ? { replicas: num(v.replicas) as number } : {}),
    ...(v.mode === 'replicated' && v.max_replicas_per_node.trim() ? { max_replicas_per_node: num(v.max_replicas_per_node) as number } : {}),
    ...(reservations.cpus !== undefined || reservations.memory_mb !== undefined ? { reservations: reservations as ServiceSpecInput['reservations'] } : {}),
    ...(v.roles.length || tags.length ? { placement: { ...(v.roles.length ? { roles: v.roles as never } : {}), ...(tags.length ? { tags } : {}) } } : {}),
    ...(v.ports.trim() ? { ports: ports(v.ports) as never } : {}),
    ...(Object.keys(env).length ? { env } : {}),
    ...(lines(v.command).length ? { command: lines(v.command) } : {}),
  };
}

/** Form field for a schema path: reservations.cpus → cpus, placement.tags[1] → tags, ports[0].target → ports. */
const FIELD: Array<[RegExp, string]> = [
  [/^reservations\.cpus/, 'cpus'],
  [/^reservations\.memory_mb/, 'memory_mb'],
  [/^placement\.roles/, 'roles'],
  [/^placement\.tags/, 'tags'],
  [/^ports/, 'ports'],
  [/^env/, 'env'],
  [/^command/, 'command'],
];
export const serviceFormField = (path: string): string => FIELD.find(([re]) => re.test(path))?.[1] ?? path.split(/[.[]/)[0];

export function serviceErrorsByField(details: FieldError[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const { field, message, code, params } of details) errors[serviceFormField(field)] ??= translateMessage(message, code, params);
  return errors;
}

/** Errors keyed by form field, in the UI's language; empty when the service would accept it. */
export function validateServiceForm(v: ServiceFormValues): Record<string, string> {
  const result = ServiceSpecSchema.safeParse(serviceSpecFromForm(v));
  return result.success ? {} : serviceErrorsByField(fieldErrors(result.error));
}
