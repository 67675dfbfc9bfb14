import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ImportQuerySchema, TailscaleImportQuerySchema } from '../../shared/schemas/api';
import { TailscaleImportReportSchema, TailscalePresenceSchema, TailscaleStatusSchema } from '../../shared/schemas/tailscale';
import { NodeSchema } from '../../shared/schemas/node';
import { ImportReportSchema, NodesFileStatusSchema, SeedDocumentSchema } from '../../shared/schemas/seed-format';
import { domainErrors } from '../http/openapi-document';
import type { RouteContext } from './route-context';

export const registryIoRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { core }) => {
  const tags = ['import/export'];
  app.get('/cluster/export', { schema: { tags, summary: "All nodes in the seed's nodes.json format", response: { 200: z.object({ nodes: z.record(z.string(), NodeSchema) }) } } }, async () =>
    core.registry.exportSeed(),
  );

  app.get('/cluster/nodes-file', {
    schema: { tags, summary: 'Where the fleet is defined: this registry, or NODES_FILE_PATH (imported once, or followed in sync mode, with the last error)', response: { 200: NodesFileStatusSchema } },
  }, async () => core.nodesFile());

  app.post('/cluster/import', {
    schema: { tags, summary: "Import seed-format nodes.json; all or nothing unless skip_invalid; dry_run only reports", querystring: ImportQuerySchema, body: SeedDocumentSchema, response: { 200: ImportReportSchema }, ...domainErrors(409) },
  }, async (request) => core.registry.importSeed(request.body, request.query));

  app.post('/cluster/import/tailscale', {
    schema: { tags, summary: 'Import machines from `tailscale status --json` (the body); dry_run shows the diff only', querystring: TailscaleImportQuerySchema, body: TailscaleStatusSchema, response: { 200: TailscaleImportReportSchema }, ...domainErrors(409) },
  }, async (request) => core.tailscale.import(request.body, request.query));

  app.get('/cluster/tailscale/presence', {
    schema: { tags, summary: "Tailscale's Online/LastSeen beside our probes, with disagreements", response: { 200: z.object({ synced_at: z.string().nullable(), nodes: z.array(TailscalePresenceSchema) }) } },
  }, async () => core.tailscale.presence());
};
