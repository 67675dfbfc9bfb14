import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ServiceInfoSchema } from '../../shared/schemas/api';
import type { RouteContext } from './route-context';

export const metaRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { info, webPage }) => {
  app.get('/', { schema: { tags: ['meta'], summary: 'Service information (browsers get the web UI)', response: { 200: ServiceInfoSchema } } }, async (request, reply) => {
    if (webPage && (request.headers.accept ?? '').includes('text/html')) return webPage(request, reply);
    return info;
  });
  app.get('/health', { schema: { tags: ['meta'], summary: 'Liveness of the service itself (no token needed)', response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({ status: 'ok' as const }));
};
