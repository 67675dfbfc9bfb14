import type { TokenScope } from '../../shared/schemas/auth';

// The one rule for which scope a REST route needs. Reads (GET, HEAD) need viewer and everything else
// admin, except what an operator does on a running fleet; reads of tokens are admin's.

/** `METHOD route` keys (Fastify's route patterns). */
const VIEWER_WRITES = new Set(['POST /cluster/suggest']); // a read with a body
const OPERATOR_WRITES = new Set([
  'POST /cluster/health-check',
  'POST /cluster/pause',
  'POST /cluster/resume',
  'POST /cluster/nodes/:id/containers/:cid/:action',
  'POST /cluster/nodes/:id/swarm/:availability',
]);
const ADMIN_READS = new Set(['/cluster/tokens']);

/** The scope a request to `route` (Fastify's route pattern) with `method` needs. */
export function requiredScope(method: string, route: string | undefined): TokenScope {
  if (!route) return 'viewer'; // no such route: a 404 follows
  if (method === 'GET' || method === 'HEAD') return ADMIN_READS.has(route) ? 'admin' : 'viewer';
  const key = `${method} ${route}`;
  return VIEWER_WRITES.has(key) ? 'viewer' : OPERATOR_WRITES.has(key) ? 'operator' : 'admin';
}
