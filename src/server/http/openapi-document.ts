import type { RouteOptions } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HTTP_STATUS_BY_CODE } from '../../shared/errors';
import { ErrorResponseSchema } from '../../shared/schemas/api';
import { requiredScope } from './route-scopes';

type TransformInput = Parameters<typeof jsonSchemaTransform>[0];
type RouteSchema = NonNullable<RouteOptions['schema']> & { 'x-errors'?: number[]; hide?: boolean; response?: Record<string, unknown> };

/** A route's own error answers, beyond those every route of its kind has (e.g. 409 on a duplicate). */
export const domainErrors = (...statuses: number[]) => ({ 'x-errors': statuses });

const WHY: Record<number, string> = {
  400: 'Malformed request: bad JSON, an empty or non-UTF-8 body, a repeated Host header or an absolute request target',
  401: 'Missing or wrong bearer token (answered with `WWW-Authenticate: Bearer`)',
  403: "Foreign Host or Origin (DNS-rebinding guard), a token whose scope is too low (`details` names the scope needed), or refused by a policy",
  404: 'No node (or other resource) with that id',
  409: 'Conflicts with the current state (duplicate id, a tailscale_ip another node has — the message names it, changed SSH host key, nodes defined by a file in --nodes-file-mode=sync — the message names the file)',
  413: 'Body larger than the limit (2 MB)',
  415: 'Body is not application/json',
  422: 'Validation failed; `details` names each field and the reason',
  429: 'Too many failed authentications from this address; try again after `Retry-After` seconds (a valid token is never held back)',
  500: 'Internal error',
  503: 'A dependency is unavailable (SSH connection, metrics shell, tailscale CLI)',
  507: 'The data directory is full or read-only: nothing was written',
};
const KNOWN = new Set(Object.values(HTTP_STATUS_BY_CODE));

/** Every error a route can answer, each in the shared shape. */
export function errorStatusesFor(schema: RouteSchema, method: string, url: string, isPublic: boolean): number[] {
  const statuses = new Set([400, 403, 500, ...(schema['x-errors'] ?? [])]);
  // Anything but a read may write the store or the audit log (documented once the 507 code exists).
  if (method !== 'GET' && method !== 'HEAD') statuses.add(507);
  if (!isPublic) [401, 429].forEach((s) => statuses.add(s));
  if (schema.body) [413, 415, 422].forEach((s) => statuses.add(s));
  if (schema.querystring || schema.params) statuses.add(422);
  if (url.includes(':id')) statuses.add(404);
  return [...statuses].filter((s) => KNOWN.has(s)).sort();
}

const noContent = (description: string) => ({ description, type: 'null' });

/**
 * The swagger transform: zod → JSON Schema as before, plus every error response with the shared
 * error schema, no security requirement on public routes, and 204s without a body.
 */
export function documentRoute(isPublicRoute: (method: string, url: string) => boolean) {
  return (input: TransformInput) => {
    const schema = input.schema as RouteSchema | undefined;
    if (!schema || schema.hide) return jsonSchemaTransform(input);
    const method = [input.route.method].flat()[0];
    const isPublic = isPublicRoute(method, input.url);
    const { 'x-errors': _declared, ...rest } = schema;
    const statuses = errorStatusesFor(schema, method, input.url, isPublic);
    const response = { ...Object.fromEntries(statuses.map((status) => [status, ErrorResponseSchema])), ...schema.response };
    const out = jsonSchemaTransform({ ...input, schema: { ...rest, response } as never });
    const outSchema = out.schema as Record<string, unknown> & { response: Record<string, Record<string, unknown>> };
    for (const status of statuses) outSchema.response[status] = { ...outSchema.response[status], description: WHY[status] };
    if (outSchema.response['204']) outSchema.response['204'] = noContent('Done; no content');
    if (isPublic) outSchema.security = [];
    else {
      // The scope rule (route-scopes.ts), stated on every operation it guards.
      const scope = requiredScope(method, input.url);
      outSchema['x-required-scope'] = scope;
      outSchema.description = `${typeof outSchema.description === 'string' ? `${outSchema.description}\n\n` : ''}Token scope: \`${scope}\`${scope === 'admin' ? '' : ' or higher'}.`;
    }
    return out;
  };
}

/** A documented HTML page (the docs themselves). */
export const htmlPage = (summary: string) => ({ tags: ['meta'], summary, response: { 200: { description: 'An HTML page', content: { 'text/html': { schema: z.string() } } } } });

type Operation = { operationId?: string; responses?: Record<string, { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }>; links?: Record<string, unknown> }> };
type Paths = Record<string, Record<string, Operation>>;

/** `get /cluster/nodes/{id}` → getClusterNodesById: a stable name for client generators and links. */
export function operationIdFor(method: string, path: string): string {
  const words = path
    .split('/')
    .filter(Boolean)
    .map((part) => (part.startsWith('{') ? `By_${part.slice(1, -1)}` : part))
    .flatMap((part) => part.split(/[^A-Za-z0-9]+/))
    .filter(Boolean);
  return method.toLowerCase() + words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

/**
 * Every operation gets an operationId, and each create (a POST answering 201 whose body names the
 * new item) links to the read, update and delete of that item, so a client generator or a stateful
 * fuzzer can follow from one request to the next.
 */
export function addOperationLinks(document: { paths?: Paths }): void {
  const paths = document.paths ?? {};
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations)) operation.operationId ??= operationIdFor(method, path);
  }
  for (const [path, operations] of Object.entries(paths)) {
    const created = operations.post?.responses?.['201'];
    if (!created) continue;
    const body = created.content?.['application/json']?.schema?.properties ?? {};
    for (const [itemPath, itemOperations] of Object.entries(paths)) {
      // The item path is the collection's plus one parameter: /cluster/nodes → /cluster/nodes/{id}.
      const param = itemPath.startsWith(`${path}/`) ? /^\{([A-Za-z_]+)\}$/.exec(itemPath.slice(path.length + 1))?.[1] : undefined;
      if (!param || !(param in body)) continue;
      for (const [method, operation] of Object.entries(itemOperations)) {
        if (!['get', 'put', 'patch', 'delete'].includes(method)) continue;
        created.links ??= {};
        created.links[operation.operationId!] = { operationId: operation.operationId, parameters: { [param]: `$response.body#/${param}` }, description: `${method.toUpperCase()} ${itemPath} of the item just created` };
      }
    }
  }
}
