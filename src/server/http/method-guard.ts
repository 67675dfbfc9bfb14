import type { FastifyRequest, RouteOptions } from 'fastify';

// A method a path does not have is 405 with Allow (RFC 9110 §15.5.6), not 404, 401 or a validation
// error: the routes are collected as they are added. A request that found no route is checked here,
// and so is one that only a parameter caught (POST …/{cid}/logs matching POST …/{cid}/{action})
// while a route naming that segment exists for other methods.
const WILDCARD = '/*'; // the web UI's files: not a resource with methods of its own

export function methodTable() {
  const routes: Array<{ pattern: RegExp; params: number; methods: Set<string> }> = [];
  const paramsOf = (url: string) => url.split('/').filter((part) => part.startsWith(':') || part === '*').length;
  return {
    /** The onRoute hook: registers each route's path and methods. */
    onRoute(route: RouteOptions): void {
      if (route.url === WILDCARD) return;
      const pattern = new RegExp(`^${route.url.split('/').map((part) => (part.startsWith(':') ? '[^/]+' : part === '*' ? '.*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}$`);
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const known = routes.find((r) => r.pattern.source === pattern.source);
      if (known) methods.forEach((m) => known.methods.add(m));
      else routes.push({ pattern, params: paramsOf(route.url), methods: new Set(methods) });
    },
    /** The methods `request`'s path allows, when its own method is not one of them (else null). */
    allowedFor(request: FastifyRequest): string[] | null {
      const matched = request.routeOptions.url;
      const path = request.url.split('?')[0];
      // Routes that name more of this path than the one that caught it (all of them when none did).
      const limit = matched === undefined || matched === WILDCARD ? Infinity : paramsOf(matched);
      const closer = routes.filter((r) => r.params < limit && r.pattern.test(path));
      const allowed = new Set(closer.flatMap((r) => [...r.methods]));
      if (allowed.size === 0 || allowed.has(request.method)) return null;
      return [...allowed].sort();
    },
  };
}
