import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MAX_PATH_PARAM_LENGTH } from '../../shared/schemas/api';
import {
  ContainerActionResultSchema,
  ContainerActionSchema,
  ContainerIdSchema,
  ContainerListSchema,
  ContainerLogsQuerySchema,
  ContainerLogsSchema,
  ContainerStatsSchema,
  FailoverSettingsPatchSchema,
  FailoverStateSchema,
  SwarmAvailabilityResultSchema,
  SwarmViewSchema,
} from '../../shared/schemas/containers';
import { restActor, type RouteContext } from './route-context';
import { domainErrors } from '../http/openapi-document';

const NodeParams = z.object({ id: z.string().max(MAX_PATH_PARAM_LENGTH) });
const ContainerParams = NodeParams.extend({ cid: ContainerIdSchema });

export const containerRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { core }) => {
  const tags = ['containers'];
  const dockerErrors = domainErrors(403, 404, 409, 503);
  app.get('/cluster/nodes/:id/containers', { schema: { tags, summary: "The node's containers (running and stopped), over its SSH connection", params: NodeParams, response: { 200: ContainerListSchema }, ...dockerErrors } }, async (request) =>
    core.containers.list(request.params.id),
  );
  app.get('/cluster/nodes/:id/containers/:cid/stats', { schema: { tags, summary: 'CPU % and memory of one container, one sample (about 1 s)', params: ContainerParams, response: { 200: ContainerStatsSchema }, ...dockerErrors } }, async (request) =>
    core.containers.stats(request.params.id, request.params.cid),
  );
  app.post(
    '/cluster/nodes/:id/containers/:cid/:action',
    { schema: { tags, summary: 'Start, stop or restart a container (audited)', params: ContainerParams.extend({ action: ContainerActionSchema }), response: { 200: ContainerActionResultSchema }, ...dockerErrors } },
    async (request) => core.containers.act(request.params.id, request.params.cid, request.params.action, restActor(request)),
  );
  app.get(
    '/cluster/nodes/:id/containers/:cid/logs',
    { schema: { tags, summary: 'The last `tail` log lines; with follow=true, NDJSON lines as they come until the client hangs up', params: ContainerParams, querystring: ContainerLogsQuerySchema, response: { 200: ContainerLogsSchema }, ...dockerErrors } },
    async (request, reply) => {
      const { id, cid } = request.params;
      const { tail, timestamps, follow } = request.query;
      if (!follow) return core.containers.logs(id, cid, { tail, timestamps });
      const raw = reply.raw;
      let stop = () => {};
      let gone = false;
      request.raw.once('close', () => ((gone = true), stop()));
      raw.once('error', () => ((gone = true), stop())); // a client gone mid-write
      // Errors before onReady (no such node or container, Docker down) answer with their status.
      stop = await core.containers.follow(id, cid, tail, {
        onReady: () => {
          reply.hijack();
          raw.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' });
          raw.flushHeaders();
        },
        onLine: (line) => raw.write(JSON.stringify(line) + '\n'),
        onEnd: (error) => {
          if (error) raw.write(JSON.stringify({ error: error.message }) + '\n');
          raw.end();
        },
      });
      if (gone) stop();
    },
  );
  app.get('/cluster/swarm', { schema: { tags, summary: "Docker Swarm from a manager among our nodes: its nodes matched to ours, services with desired and running replicas, tasks", response: { 200: SwarmViewSchema }, ...domainErrors(409, 503) } }, async () =>
    core.swarm.view(),
  );
  app.post(
    '/cluster/nodes/:id/swarm/:availability',
    { schema: { tags, summary: 'Drain the node in Swarm (its tasks move elsewhere) or set it active again (audited)', params: NodeParams.extend({ availability: z.enum(['drain', 'active'], { error: 'must be drain or active' }) }), response: { 200: SwarmAvailabilityResultSchema }, ...dockerErrors } },
    async (request) => core.swarm.setAvailability(request.params.id, request.params.availability, restActor(request)),
  );
  app.get('/cluster/failover', { schema: { tags, summary: 'The Swarm failover policy and the nodes it drained', response: { 200: FailoverStateSchema } } }, async () => core.failover.state());
  app.put('/cluster/failover', { schema: { tags, summary: 'Change the failover policy (enabled, max_drained_nodes, max_drained_share, drain_maintenance)', body: FailoverSettingsPatchSchema, response: { 200: FailoverStateSchema } } }, async (request) =>
    core.failover.update(request.body),
  );
};
