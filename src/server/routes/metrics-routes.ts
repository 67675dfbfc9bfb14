import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteContext } from './route-context';

export const metricsRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { core }) => {
  app.get(
    '/metrics',
    { schema: { tags: ['metrics'], summary: 'Prometheus metrics in the text exposition format (bearer token required)', produces: ['text/plain'], response: { 200: z.string().describe('Prometheus text exposition format 0.0.4') } } },
    async (_request, reply) => {
      const { contentType, body } = await core.metrics.scrape();
      return reply.type(contentType).send(body);
    },
  );
};
