import type { TokenScope } from '../../shared/schemas/auth';

// The one rule for which scope a REST route needs: reads (GET, HEAD) need viewer and everything else
// admin, except the routes below (keyed `METHOD route`, Fastify's route patterns). The web bridge's
// channels follow the same split (src/shared/channel-scopes.ts).
const EXCEPTIONS: Record<string, TokenScope> = {
  'POST /cluster/suggest': 'viewer', // a read with a body
  'POST /cluster/services/plan': 'viewer', // a read with a body: a plan changes nothing
  'POST /cluster/jobs/plan': 'viewer',
  // MCP: each tool's scope is checked by the MCP route, which shows a token only the tools it may call.
  'POST /mcp': 'viewer',
  'DELETE /mcp': 'viewer',
  // What an operator does on a running fleet.
  'GET /cluster/nodes/:id/health': 'operator', // probes the node now
  'POST /cluster/health-check': 'operator',
  'POST /cluster/pause': 'operator',
  'POST /cluster/resume': 'operator',
  'PUT /cluster/nodes/:id/mute': 'operator',
  'PUT /cluster/nodes/:id/maintenance': 'operator',
  'POST /cluster/nodes/:id/containers/:cid/:action': 'operator',
  'POST /cluster/nodes/:id/swarm/:availability': 'operator',
  // Reads that are admin's.
  'GET /cluster/tokens': 'admin',
};

/** The scope a request to `route` (Fastify's route pattern) with `method` needs. */
export function requiredScope(method: string, route: string | undefined): TokenScope {
  if (!route) return 'viewer'; // no such route: a 404 follows
  // Fastify answers HEAD with the GET handler (a live probe included): it needs what GET needs.
  const asked = method === 'HEAD' ? 'GET' : method;
  return EXCEPTIONS[`${asked} ${route}`] ?? (asked === 'GET' ? 'viewer' : 'admin');
}
