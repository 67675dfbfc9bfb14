import { ContainerActionResultSchema, ContainerListSchema, ContainerLogsSchema, SwarmAvailabilityResultSchema } from '../../shared/schemas/containers';
import { McpContainerArgsSchema, McpContainerLogsArgsSchema, McpIdArgsSchema } from '../../shared/schemas/mcp';
import { READ_REMOTE, type ToolTable } from '../mcp/tool-table';

/** MCP tools for containers on each node, and a node's availability in Swarm. */
export const containerTools: ToolTable = ({ core, tool, actor }) => {
  tool('list_containers', {
    title: 'List containers',
    description: "A node's Docker containers, running and stopped (as GET /cluster/nodes/{id}/containers): id, name, image, state, status, health, ports, Swarm service. The node needs docker.enabled; Docker is reached over the node's SSH connection.",
    input: McpIdArgsSchema, output: ContainerListSchema, annotations: READ_REMOTE,
  }, ({ id }) => core.containers.list(id));

  tool('container_logs', {
    title: 'Container logs',
    description: 'The last `tail` lines of a container\'s log (stdout and stderr, newest last).',
    input: McpContainerLogsArgsSchema, output: ContainerLogsSchema, annotations: READ_REMOTE,
  }, ({ id, container_id, tail, timestamps }) => core.containers.logs(id, container_id, { tail, timestamps }));

  tool('restart_container', {
    title: 'Restart container',
    description: 'Restarts one container on a node (stop with a 10 s grace, then start). Subject to the server command policy; audited.',
    input: McpContainerArgsSchema, output: ContainerActionResultSchema, annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true }, scope: 'operator',
    acts: { nodes: ({ id }) => [core.registry.require(id).id] },
  }, ({ id, container_id }) => core.containers.act(id, container_id, 'restart', actor));

  for (const [name, availability, what] of [['drain_node', 'drain', 'Drains the node in Docker Swarm: Swarm stops its tasks there and runs them on other nodes.'], ['activate_node', 'active', 'Sets the node active in Docker Swarm again, so Swarm may schedule tasks on it.']] as const) {
    tool(name, {
      title: availability === 'drain' ? 'Drain node in Swarm' : 'Activate node in Swarm',
      description: `${what} Subject to the server command policy; audited.`,
      input: McpIdArgsSchema, output: SwarmAvailabilityResultSchema, annotations: { readOnlyHint: false, destructiveHint: availability === 'drain', idempotentHint: true, openWorldHint: true }, scope: 'operator',
      acts: { nodes: ({ id }) => [core.registry.require(id).id] },
    }, ({ id }) => core.swarm.setAvailability(id, availability, actor));
  }
};
