import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HistoryQuerySchema, NodeIdParamsSchema, NodeListSchema } from '../../shared/schemas/api';
import { HistoryPointSchema, NodeCheckSchema, NodeWithHealthSchema } from '../../shared/schemas/health';
import { NodeFilterSchema, NodeMaintenanceSchema, NodeMuteSchema, NodePatchSchema, NodeSchema } from '../../shared/schemas/node';
import { restActor, type RouteContext } from './route-context';
import { domainErrors } from '../http/openapi-document';

export const nodeRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { core }) => {
  const tags = ['nodes'];

  app.get('/cluster/nodes', { schema: { tags, summary: 'List nodes, filtered by role, tag, health status or free text', querystring: NodeFilterSchema, response: { 200: NodeListSchema } } }, async (request) => {
    const nodes = core.monitor.listWithHealth(request.query);
    return { nodes, count: nodes.length };
  });

  app.get('/cluster/nodes/:id', { schema: { tags, summary: 'One node', params: NodeIdParamsSchema, response: { 200: NodeWithHealthSchema } } }, async (request) => core.monitor.nodeWithHealth(request.params.id));

  app.get('/cluster/nodes/:id/health', { schema: { tags, summary: 'Check one node now', params: NodeIdParamsSchema, response: { 200: NodeCheckSchema } } }, async (request) =>
    core.monitor.checkOne(request.params.id),
  );

  app.get('/cluster/nodes/:id/history', { schema: { tags, summary: 'Latency history for the last 1 h or 24 h', params: NodeIdParamsSchema, querystring: HistoryQuerySchema, response: { 200: z.object({ node_id: z.string(), range: z.string(), points: z.array(HistoryPointSchema) }) } } }, async (request) => {
    core.registry.require(request.params.id);
    const range = request.query.range;
    return { node_id: request.params.id, range, points: core.monitor.history(request.params.id, range === '24h' ? 24 * 3600_000 : 3600_000) };
  });

  // Bodies are validated by the registry with the same shared schemas, so the rule lives in one place.
  app.post('/cluster/nodes', { schema: { tags, summary: 'Register a node', body: NodeSchema, response: { 201: NodeSchema }, ...domainErrors(409) } }, async (request, reply) => {
    reply.code(201);
    return core.registry.create(request.body);
  });

  app.put('/cluster/nodes/:id', {
    schema: { tags, summary: 'Update a node (partial); its id cannot change', params: NodeIdParamsSchema, body: NodePatchSchema.extend({ id: z.string().optional().describe('A node\'s id cannot change: if sent, it must equal the id in the path (else 422)') }), response: { 200: NodeSchema }, ...domainErrors(409) },
  }, async (request) =>
    core.registry.update(request.params.id, request.body),
  );

  app.delete('/cluster/nodes/:id', { schema: { tags, summary: 'Remove a node', params: NodeIdParamsSchema, response: { 204: z.null() }, ...domainErrors(409) } }, async (request, reply) => {
    core.registry.remove(request.params.id);
    return reply.code(204).send(null);
  });

  // An operator's changes to a node (the rest of a node is admin's, through PUT /cluster/nodes/{id}).
  app.put('/cluster/nodes/:id/mute', { schema: { tags, summary: "Mute a node's alerts for 1, 4 or 8 hours; 0 unmutes (operator)", params: NodeIdParamsSchema, body: NodeMuteSchema, response: { 200: NodeSchema } } }, async (request) =>
    core.muteNode(request.params.id, request.body.hours, restActor(request)),
  );
  app.put('/cluster/nodes/:id/maintenance', { schema: { tags, summary: 'Put a node in maintenance or take it out (operator)', params: NodeIdParamsSchema, body: NodeMaintenanceSchema, response: { 200: NodeSchema } } }, async (request) =>
    core.setMaintenance(request.params.id, request.body.maintenance, restActor(request)),
  );
};
