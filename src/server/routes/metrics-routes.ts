import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteContext } from './route-context';

const exposition = { description: 'Prometheus text exposition format 0.0.4', content: { 'text/plain': { schema: z.string() } } };

export const metricsRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { core }) => {
  core.metrics.enable(); // probes, sweeps and alerts are recorded from now on, for this route to serve
  app.get('/metrics', { schema: { tags: ['metrics'], summary: 'Prometheus metrics in the text exposition format (bearer token required)', response: { 200: exposition } } }, async (_request, reply) => {
    const { contentType, body } = await core.metrics.scrape();
    return reply.type(contentType).send(body);
  });
};
