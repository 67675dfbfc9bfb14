import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AlertChannelsUpdateSchema, AlertChannelsViewSchema, AlertTestRequestSchema, AlertTestResultSchema, NodeSilencesSchema } from '../../shared/schemas/alerts';
import { NodeIdParamsSchema } from '../../shared/schemas/api';
import { restActor, type RouteContext } from './route-context';
import { domainErrors } from '../http/openapi-document';

export const alertRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { core }) => {
  const tags = ['alerts'];
  app.get('/cluster/alerts', { schema: { tags, summary: 'Alert channels (secrets redacted) with each one\'s delivery state', response: { 200: AlertChannelsViewSchema } } }, async () => core.alerts.list());
  app.put(
    '/cluster/alerts',
    { schema: { tags, summary: 'Replace the DATA_DIR alert channels; a redacted secret sent back unchanged keeps the stored one', body: AlertChannelsUpdateSchema, response: { 200: AlertChannelsViewSchema } } },
    async (request) => core.alerts.update(request.body, restActor(request)),
  );
  app.post(
    '/cluster/alerts/test',
    { schema: { tags, summary: 'Send a test alert to one channel (channel_id) or every enabled one; answers after retries', body: AlertTestRequestSchema, response: { 200: AlertTestResultSchema }, ...domainErrors(404) } },
    async (request) => core.alerts.test(request.body?.channel_id),
  );
  app.get(
    '/cluster/nodes/:id/silences',
    { schema: { tags, summary: "Active Alertmanager silences that cover the node's alerts (from the first peer of each Alertmanager channel that answers)", params: NodeIdParamsSchema, response: { 200: NodeSilencesSchema }, ...domainErrors(404) } },
    async (request) => {
      core.registry.require(request.params.id);
      return core.alerts.silences(request.params.id);
    },
  );
};
