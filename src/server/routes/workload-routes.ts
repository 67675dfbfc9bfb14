import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { JobSpecSchema, JobViewSchema, ServiceListSchema, ServiceNameSchema, ServicePatchSchema, ServicePlanSchema, ServiceRemovedSchema, ServiceSpecSchema, ServiceViewSchema, WorkloadLogsQuerySchema, WorkloadLogsSchema } from '../../shared/schemas/workloads';
import { restActor, type RouteContext } from './route-context';
import { domainErrors } from '../http/openapi-document';

const NameParams = z.object({ name: ServiceNameSchema });

/** Services and jobs on Docker Swarm: thin over core.workloads; each action is audited there. */
export const workloadRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { core }) => {
  const tags = ['workloads'];
  const swarmErrors = domainErrors(403, 404, 409, 503);
  const { workloads } = core;
  app.get('/cluster/services', { schema: { tags, summary: 'Swarm services: desired, running and pending replicas (with Swarm\'s reason), update state, tasks per node', response: { 200: ServiceListSchema }, ...domainErrors(409, 503) } }, async () => workloads.list());
  app.post(
    '/cluster/services',
    { schema: { tags, summary: 'Deploy a service: Swarm places its tasks by the reservations and placement (audited)', body: ServiceSpecSchema, response: { 201: ServiceViewSchema }, ...swarmErrors } },
    async (request, reply) => {
      const view = await workloads.deploy(request.body, restActor(request));
      reply.code(201);
      return view;
    },
  );
  app.post(
    '/cluster/services/plan',
    { schema: { tags, summary: 'Where the spec\'s tasks would go now and why the rest cannot (Swarm predicted; changes nothing)', body: ServiceSpecSchema, response: { 200: ServicePlanSchema }, ...domainErrors(409, 503) } },
    async (request) => workloads.plan(request.body),
  );
  app.post(
    '/cluster/jobs/plan',
    { schema: { tags, summary: 'Where a job\'s runs at once would go now and why the rest cannot (changes nothing)', body: JobSpecSchema, response: { 200: ServicePlanSchema }, ...domainErrors(409, 503) } },
    async (request) => workloads.plan({ ...request.body, mode: 'job' }),
  );
  app.get('/cluster/services/:name', { schema: { tags, summary: 'One service, with its tasks and Swarm\'s reasons', params: NameParams, response: { 200: ServiceViewSchema }, ...swarmErrors } }, async (request) => workloads.get(request.params.name));
  app.patch(
    '/cluster/services/:name',
    { schema: { tags, summary: '`{replicas}` scales; any other field is a rolling update that rolls back by itself on failure (audited)', params: NameParams, body: ServicePatchSchema, response: { 200: ServiceViewSchema }, ...swarmErrors } },
    async (request) => workloads.change(request.params.name, request.body, restActor(request)),
  );
  app.delete('/cluster/services/:name', { schema: { tags, summary: 'Remove a service or job and its tasks (audited)', params: NameParams, response: { 200: ServiceRemovedSchema }, ...swarmErrors } }, async (request) =>
    workloads.remove(request.params.name, restActor(request)),
  );
  app.post('/cluster/services/:name/rollback', { schema: { tags, summary: 'Roll back to the spec before the last update (audited)', params: NameParams, response: { 200: ServiceViewSchema }, ...swarmErrors } }, async (request) =>
    workloads.rollback(request.params.name, restActor(request)),
  );
  app.get('/cluster/services/:name/logs', { schema: { tags, summary: 'The newest `tail` log lines of all its tasks, in time order, each with its task and node', params: NameParams, querystring: WorkloadLogsQuerySchema, response: { 200: WorkloadLogsSchema }, ...swarmErrors } }, async (request) =>
    workloads.logs(request.params.name, request.query.tail),
  );
  app.post(
    '/cluster/jobs',
    { schema: { tags, summary: 'Run a job: `completions` runs, `concurrency` at a time (Swarm replicated-job; audited)', body: JobSpecSchema, response: { 201: JobViewSchema }, ...swarmErrors } },
    async (request, reply) => {
      const view = await workloads.runJob(request.body, restActor(request));
      reply.code(201);
      return view;
    },
  );
  app.get('/cluster/jobs/:name', { schema: { tags, summary: 'A job\'s state and each run\'s exit code and last log lines, also after it ended', params: NameParams, response: { 200: JobViewSchema }, ...swarmErrors } }, async (request) => workloads.job(request.params.name));
};
