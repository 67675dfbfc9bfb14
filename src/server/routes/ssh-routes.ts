import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NodeIdParamsSchema, queryInt } from '../../shared/schemas/api';
import {
  AuditEntrySchema,
  CommandRequestDocumentedSchema,
  CommandResponseSchema,
  HostKeyApprovalSchema,
  HostKeyPinSchema,
  NodeMetricsSchema,
  PlacementRequestSchema,
  PlacementResponseSchema,
} from '../../shared/schemas/ssh';
import { restActor, type RouteContext } from './route-context';
import { domainErrors } from '../http/openapi-document';

export const sshRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { core }) => {
  const tags = ['ssh'];
  app.post('/cluster/commands', { schema: { tags, summary: 'Run a command on nodes chosen by node_ids, role or tag', body: CommandRequestDocumentedSchema, response: { 200: CommandResponseSchema }, ...domainErrors(404) } }, async (request) =>
    core.ssh.run(request.body, restActor(request)),
  );
  app.post('/cluster/commands/:run_id/cancel', { schema: { tags, summary: 'Cancel a running command', params: z.object({ run_id: z.string().max(64) }), response: { 200: z.object({ cancelled: z.boolean() }) } } }, async (request) => ({
    cancelled: core.ssh.cancel(request.params.run_id),
  }));
  app.get('/cluster/nodes/:id/metrics', { schema: { tags, summary: 'Load, CPU, memory, disk and uptime, read over SSH now', params: NodeIdParamsSchema, response: { 200: NodeMetricsSchema }, ...domainErrors(409, 503) } }, async (request) =>
    core.ssh.getMetrics(request.params.id),
  );
  app.get('/cluster/nodes/:id/host-key', { schema: { tags, summary: "The node's pinned SSH host key", params: NodeIdParamsSchema, response: { 200: z.object({ pin: HostKeyPinSchema.nullable() }) } } }, async (request) => ({
    pin: core.ssh.hostKey(request.params.id),
  }));
  app.delete('/cluster/nodes/:id/host-key', { schema: { tags, summary: 'Forget the pinned host key (after a reinstall)', params: NodeIdParamsSchema, response: { 204: z.null() } } }, async (request, reply) => {
    core.ssh.forgetHostKey(request.params.id, restActor(request));
    return reply.code(204).send(null);
  });
  app.put('/cluster/nodes/:id/host-key', { schema: { tags, summary: 'Approve (pin) host key fingerprints, for SSH_HOST_KEY_POLICY=approve', params: NodeIdParamsSchema, body: HostKeyApprovalSchema, response: { 200: z.object({ pin: HostKeyPinSchema }) } } }, async (request) => ({
    pin: core.ssh.approveHostKey(request.params.id, request.body.fingerprints, restActor(request)),
  }));
  app.post('/cluster/suggest', { schema: { tags, summary: 'Rank healthy nodes with room for the given requirements', body: PlacementRequestSchema, response: { 200: PlacementResponseSchema } } }, async (request) =>
    core.suggest(request.body),
  );
  app.get('/cluster/audit', { schema: { tags, summary: 'Audit log: who ran what, where', querystring: z.strictObject({ limit: queryInt(1, 5000).default(200) }), response: { 200: z.object({ entries: z.array(AuditEntrySchema) }) } } }, async (request) => ({
    entries: core.ssh.audit.list(request.query.limit),
  }));
};
