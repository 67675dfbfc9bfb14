import { z } from 'zod';
import { NodeFilterSchema, NodePatchSchema, NodeSchema } from './node';
import { CommandRequestSchema, PlacementRequestSchema } from './ssh';
import { TailscaleImportOptionsSchema } from './tailscale';
import { ContainerIdSchema, ContainerLogsOptionsSchema } from './containers';
import { ServiceNameSchema, ServicePatchSchema } from './workloads';

// MCP tool arguments, derived from the same schemas as REST and IPC (field names as in REST).
export const McpIdArgsSchema = z.strictObject({ id: z.string().max(200).describe('Node id') });
export const McpClusterStatusArgsSchema = z.strictObject({ include_nodes: z.boolean().default(false).describe('Include every node with its health') });
export const McpListNodesArgsSchema = NodeFilterSchema;
export const McpCheckHealthArgsSchema = z.strictObject({ id: z.string().max(200).optional().describe('One node to check now; omit to sweep all') });
export const McpAddNodeArgsSchema = NodeSchema;
export const McpUpdateNodeArgsSchema = NodePatchSchema.extend({ id: z.string().max(200).describe('Node to update') });
export const McpRunCommandArgsSchema = CommandRequestSchema;
export const McpSuggestArgsSchema = PlacementRequestSchema;
export const McpListEventsArgsSchema = z.strictObject({ node: z.string().max(200).optional(), limit: z.int().min(1).max(1000).default(50) });
export const McpListAlertChannelsArgsSchema = z.strictObject({});
export const McpImportTailscaleArgsSchema = TailscaleImportOptionsSchema.extend({
  document: z.unknown().optional().describe('The JSON printed by `tailscale status --json`; omit to run the local tailscale CLI'),
});

export const COMMAND_POLICIES = ['deny', 'ask', 'allow'] as const;
export type CommandPolicy = (typeof COMMAND_POLICIES)[number];

// Containers and Swarm: the same schemas as REST and IPC, with descriptions for the model.
export const McpContainerArgsSchema = z.strictObject({
  id: z.string().max(200).describe('Node id (the node must have docker.enabled)'),
  container_id: ContainerIdSchema.describe('Container ID or name, as list_containers answers'),
});
export const McpContainerLogsArgsSchema = McpContainerArgsSchema.extend(ContainerLogsOptionsSchema.shape).extend({ tail: ContainerLogsOptionsSchema.shape.tail.describe('How many of the last lines') });

// Workloads on Swarm: the service and job specs themselves, and a name for the rest.
export const McpServiceNameArgsSchema = z.strictObject({ name: ServiceNameSchema.describe('Service (or job) name, as list_services answers') });
export const McpScaleServiceArgsSchema = McpServiceNameArgsSchema.extend({ replicas: ServicePatchSchema.shape.replicas.unwrap().describe('Replicas wanted; Swarm starts or stops tasks') });
export const McpUpdateServiceArgsSchema = McpServiceNameArgsSchema.extend(ServicePatchSchema.shape)
  .omit({ replicas: true })
  .refine(({ name: _name, ...change }) => Object.keys(change).length > 0, { error: 'must name at least one field to change' })
  .meta({ minProperties: 2 }); // the name and one change
export const McpServiceLogsArgsSchema = McpServiceNameArgsSchema.extend({
  tail: z.int({ error: 'must be a whole number of lines' }).min(1).max(10_000).default(100).describe('How many of the newest lines, all tasks together'),
});
