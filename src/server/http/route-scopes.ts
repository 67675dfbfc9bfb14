import type { TokenScope } from '../../shared/schemas/auth';

// The one rule for which scope a REST route needs. Reads (GET, HEAD) need viewer and everything else
// admin, except what an operator does on a running fleet; reads of tokens are admin's.

const OPERATOR: Array<[method: string, route: string]> = [
  ['POST', '/cluster/health-check'],
  ['POST', '/cluster/pause'],
  ['POST', '/cluster/resume'],
  ['POST', '/cluster/suggest'], // a read with a body
  ['POST', '/cluster/nodes/:id/containers/:cid/:action'],
  ['POST', '/cluster/nodes/:id/swarm/:availability'],
];
const ADMIN_READS = new Set(['/cluster/tokens']);

/** The scope a request to `route` (Fastify's route pattern) with `method` needs. */
export function requiredScope(method: string, route: string | undefined): TokenScope {
  if (!route) return 'viewer'; // no such route: a 404 follows
  if (method === 'GET' || method === 'HEAD') return ADMIN_READS.has(route) ? 'admin' : 'viewer';
  if (OPERATOR.some(([m, r]) => m === method && r === route)) return method === 'POST' && route === '/cluster/suggest' ? 'viewer' : 'operator';
  return 'admin';
}
