import { McpServer, ResourceNotFoundError, ResourceTemplate, type ServerContext } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { OrchestratorError, validationError } from '../../shared/errors';
import { NodeListSchema } from '../../shared/schemas/api';
import { ClusterStatusSchema, HealthEventSchema, NodeCheckSchema, NodeWithHealthSchema } from '../../shared/schemas/health';
import {
  McpAddNodeArgsSchema,
  McpCheckHealthArgsSchema,
  McpClusterStatusArgsSchema,
  McpIdArgsSchema,
  McpImportTailscaleArgsSchema,
  McpListEventsArgsSchema,
  McpListNodesArgsSchema,
  McpRunCommandArgsSchema,
  McpSuggestArgsSchema,
  McpUpdateNodeArgsSchema,
} from '../../shared/schemas/mcp';
import { NodeMaintenanceSchema, NodeMuteSchema, NodeSchema } from '../../shared/schemas/node';
import { CommandResponseSchema, NodeMetricsSchema, PlacementResponseSchema } from '../../shared/schemas/ssh';
import { TailscaleImportReportSchema } from '../../shared/schemas/tailscale';
import type { Core } from '../app-core';
import { selectNodes } from '../ssh/command-runner';
import { AskPending, DEFAULT_ASK_TIMEOUT_MS, guardDestructive, guardedNodeFields, policyApplies, policyInWords, type ActingTool } from './destructive-guard';
import { argumentsDigest, renderArguments } from './action-arguments';
import { clientAsker } from './elicit-confirm';
import { registerRunbookPrompts } from './runbook-prompts';
import { serveResourceSubscriptions } from './resource-subscriptions';
import { MAX_INPUT_DEPTH, nestsDeeperThan } from '../util/json-depth';
import { redactUrlCredentials, viewForScope, withoutSecretFields } from '../util/redaction';
import { READ, READ_REMOTE, toolScope, type McpToolOptions, type ToolConfig, type ToolTable } from './tool-table';
import { TOKEN_SCOPES, scopeAllows, type TokenScope } from '../../shared/schemas/auth';
import { alertTools } from '../alerts/alert-tools';
import { containerTools } from '../containers/container-tools';
import { workloadTools } from '../workloads/workload-tools';

export type { McpToolOptions } from './tool-table';

/** The capabilities' own tool tables, registered after the registry's and the monitor's tools below. */
const TOOL_TABLES: ToolTable[] = [alertTools, containerTools, workloadTools];


declare const __MCO_TOOL_JSON_SCHEMAS__: string | undefined;
/**
 * The tools' JSON Schemas as tools/list shows them, inlined into the built CLI by scripts/build.mjs
 * (scripts/tool-json-schemas.ts), so an MCP session's first tools/list converts nothing. From
 * source (tests, tsx) they are converted from the zod schemas as before. A JSON string rather than an
 * object: esbuild would hoist an object into a module every chunk imports, parsed at every start.
 */
const PRECOMPUTED: Record<string, { input: object; output: object | null }> | undefined =
  typeof __MCO_TOOL_JSON_SCHEMAS__ === 'undefined' ? undefined : JSON.parse(__MCO_TOOL_JSON_SCHEMAS__);


/** Who a server is built for: over HTTP the request's token (the SDK's authInfo), else the local owner. */
export interface McpCaller {
  authInfo?: { clientId?: string; scopes?: string[] };
}

/** Builds a server per session or request; `toolScope` names the scope any tool needs (known after a first build). */
export type McpServerFactory = ((caller?: McpCaller) => McpServer) & {
  toolScope(name: string): TokenScope | undefined;
  /** How the tool meets `ask` and `deny`, in the README's words. */
  toolPolicy(name: string): { ask: string; deny: string } | undefined;
};

/**
 * One factory for every transport (stdio, the desktop socket, HTTP): each call builds an McpServer
 * whose tools are thin wrappers over the core services, with REST field names and REST shapes.
 * Over HTTP the caller's token scope decides which tools exist: the others are not listed.
 */
export function createMcpServerFactory(core: Core, options: McpToolOptions): McpServerFactory {
  const { registry, monitor, ssh, eventLog, tailscale } = core;
  const scopes = new Map<string, TokenScope>();
  const policies = new Map<string, { ask: string; deny: string }>();
  const askTimeoutMs = options.askTimeoutMs ?? DEFAULT_ASK_TIMEOUT_MS;
  const askersFor = clientAsker(askTimeoutMs);

  const factory = (caller?: McpCaller) => {
    // Local transports (stdio, the owner socket) act as the owner; HTTP acts as the request's token,
    // and without one (which the access guard never lets through) as the least of the scopes.
    const given = caller?.authInfo?.scopes?.[0] as TokenScope | undefined;
    const scope: TokenScope = options.transport !== 'http' ? 'admin' : given && TOKEN_SCOPES.includes(given) ? given : 'viewer';
    const actor = options.transport === 'http' ? `mcp:http:${caller?.authInfo?.clientId ?? '?'}` : `mcp:${options.transport}`;
    // /mcp over HTTP is stateless (a server per request, GET /mcp answers 405): no notification can
    // reach its clients, so it does not advertise list changes. The SDK keeps an explicit false.
    // Over stdio the tools and prompts change only when a recorded opening no longer fits
    // (src/server/stdio-handshake): the client is then told to list them again.
    const stateless = options.transport === 'http';
    const capabilities = stateless ? { tools: { listChanged: false }, resources: { listChanged: false }, prompts: { listChanged: false } } : { tools: { listChanged: true }, resources: { subscribe: true, listChanged: true }, prompts: { listChanged: true } };
    const server = new McpServer({ name: 'mcp-cloud-orchestrator', version: options.version }, { capabilities });

    /**
     * Every acting call passes the command policy here, before it runs, with its parsed arguments:
     * the person is shown all of them, and an answer is bound to their digest.
     */
    const guard = async <A>(toolName: string, acting: ActingTool<A>, args: A, ctx: ServerContext | undefined) => {
      const nodes = acting.nodes?.(args) ?? [];
      if (!policyApplies(options.policy, acting, args)) return;
      // The foreseen outcome is context for the person; the approval still binds the arguments alone.
      const foreseen = options.policy === 'ask' && acting.foresee ? await acting.foresee(args).catch(() => null) : null;
      const request = { tool: toolName, nodes, detail: `${foreseen ? `${foreseen}\n\n` : ''}${renderArguments(args, 'person')}`, digest: argumentsDigest(toolName, nodes, args) };
      const allowedBy = await guardDestructive(options.policy, request, askersFor(server, ctx, options.confirm, options.transport === 'http'), askTimeoutMs);
      // Under ask, who allowed what is audited here (a refusal is audited with the call's error).
      if (options.policy === 'ask') auditBestEffort(() => core.ssh.audit.record({ actor, action: toolName, nodes, detail: renderArguments(args, 'audit'), outcome: allowedBy }));
    };

    /** Fields that choose a key or silence monitoring: `deny` refuses the node tools only for these. */
    const denyGuardedFields = { refuses: (fields: Record<string, unknown>) => guardedNodeFields(fields).length > 0, says: 'refused when setting `ssh.key_path`, `maintenance: true` or `muted_until`' };
    const existing = ({ id }: { id: string }) => [registry.require(id).id];

    /** What any agent gets (no secret-named field, no URL credentials), then what its token's scope may read: tools and resources alike. */
    const shown = <T>(value: T): T => viewForScope(withoutSecretFields(value), scope);

    const tool = <I extends z.ZodType, O extends z.ZodType>(name: string, config: ToolConfig<I, O>, run: (args: z.output<I>) => Promise<z.output<O>> | z.output<O>): void => {
      scopes.set(name, toolScope(config));
      policies.set(name, policyInWords(config.annotations.readOnlyHint, config.acts as ActingTool<never> | undefined));
      if (options.readOnly && !config.annotations.readOnlyHint) return;
      if (!scopeAllows(scope, toolScope(config))) return;
      server.registerTool(
        name,
        {
          title: config.title,
          description: config.description,
          inputSchema: advertiseOnly(config.input, PRECOMPUTED?.[name]?.input),
          annotations: config.annotations,
          outputSchema: withJsonSchema(config.output, PRECOMPUTED?.[name]?.output),
        },
        (async (raw: unknown, ctx: ServerContext) => {
          const started = Date.now();
          try {
            // Deep nesting would overflow the stack in validation: refuse it before anything reads it.
            if (nestsDeeperThan(raw, MAX_INPUT_DEPTH)) throw new OrchestratorError('validation_error', `Invalid input — arguments nest deeper than ${MAX_INPUT_DEPTH} levels`, [{ field: '(root)', message: `must not nest deeper than ${MAX_INPUT_DEPTH} levels` }]);
            // Validated here rather than by the SDK, so errors name fields the way REST does.
            const parsed = config.input.safeParse(raw ?? {});
            if (!parsed.success) throw validationError(parsed.error, '', raw ?? {});
            const audit = (outcome: string) => core.ssh.audit.record({ actor, action: name, nodes: nodesOf(parsed.data), detail: summarize(parsed.data), outcome });
            if (!config.annotations.readOnlyHint) {
              // A tool that changes anything is audited before it acts; if that entry cannot be written, it does not act.
              audit('requested');
              await guard(name, config.acts ?? {}, parsed.data, ctx);
            }
            const result = shown(await run(parsed.data));
            auditBestEffort(() => audit(`ok in ${Date.now() - started} ms`));
            return { content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: result };
          } catch (error) {
            // The person at the client is asked in this round's answer; the retry carries theirs.
            if (error instanceof AskPending) {
              auditBestEffort(() => core.ssh.audit.record({ actor, action: name, nodes: nodesOf(raw), detail: summarize(raw), outcome: 'asking the person at the client' }));
              return error.result as never;
            }
            const e = error instanceof OrchestratorError ? error : new OrchestratorError('internal_error', (error as Error).message);
            auditBestEffort(() => core.ssh.audit.record({ actor, action: name, nodes: nodesOf(raw), detail: summarize(raw), outcome: `${e.code}: ${e.message}` }));
            const fields = e.details.map((d) => `${d.field}: ${d.message}`).join('; ');
            return { isError: true, content: [{ type: 'text', text: redactUrlCredentials(`${e.code}: ${e.message}${fields && !e.message.includes(fields) ? ` (${fields})` : ''}`) }] };
          }
        }) as never,
      );
    };

    tool('cluster_status', {
      title: 'Cluster status',
      description: 'Health summary of the whole cluster (as GET /cluster/status): state, counts, availability, per-role counts, nodes that are down.',
      input: McpClusterStatusArgsSchema, output: ClusterStatusSchema, annotations: READ,
    }, ({ include_nodes }) => monitor.status(include_nodes));

    tool('list_nodes', {
      title: 'List nodes',
      description: 'Registered nodes with their health, filtered by role, tag, status (health state) or free text q; answers {nodes, count}.',
      input: McpListNodesArgsSchema, output: NodeListSchema, annotations: READ,
    }, (filter) => {
      const nodes = monitor.listWithHealth(filter);
      return { nodes, count: nodes.length };
    });

    tool('get_node', { title: 'Get node', description: 'One node by id, with its health.', input: McpIdArgsSchema, output: NodeWithHealthSchema, annotations: READ }, ({ id }) => monitor.nodeWithHealth(id));

    tool('check_health', {
      title: 'Check health now',
      description: 'Probes one node now (id) and answers the live result, or sweeps every node when id is omitted and answers the cluster status.',
      input: McpCheckHealthArgsSchema, output: z.union([NodeCheckSchema, ClusterStatusSchema]), annotations: { ...READ, idempotentHint: false, openWorldHint: true }, scope: 'operator',
    }, async ({ id }) => (id ? monitor.checkOne(id) : (await monitor.requestSweep(), monitor.status(true))));

    tool('add_node', {
      title: 'Add node',
      description: `Registers a node. Fields as in POST /cluster/nodes: id, hostname, tailscale_ip (an IP, or a MagicDNS name resolved when probed; no two nodes may share one unless their SSH ports differ), role (master|worker|storage), cpu_cores and memory_gb (optional: filled in from SSH metrics), tags, description, probes, ssh. ${GUARDED_NOTE}`,
      input: McpAddNodeArgsSchema, output: NodeSchema, annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
      acts: { nodes: (node) => [node.id], deny: denyGuardedFields },
    }, (node) => registry.create(node));

    tool('update_node', {
      title: 'Update node',
      description: `Changes some fields of a node (partial update, as PUT /cluster/nodes/{id}); other fields are kept. It can overwrite the node's address and SSH settings, and its id cannot change. ${GUARDED_NOTE}`,
      input: McpUpdateNodeArgsSchema, output: NodeSchema, annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
      acts: { nodes: existing, deny: denyGuardedFields },
    }, ({ id, ...patch }) => registry.update(id, patch));

    tool('mute_node', {
      title: 'Mute node',
      description: "Mutes a node's alerts for 1, 4 or 8 hours (0 unmutes); it is still checked. An operator's action (as PUT /cluster/nodes/{id}/mute), subject to the server command policy; audited.",
      input: McpIdArgsSchema.extend(NodeMuteSchema.shape), output: NodeSchema, annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false }, scope: 'operator',
      acts: { nodes: existing },
    }, ({ id, hours }) => core.muteNode(id, hours, actor));

    tool('set_maintenance', {
      title: 'Set maintenance',
      description: "Puts a node in maintenance (no alerts, not counted in uptime) or takes it out. An operator's action (as PUT /cluster/nodes/{id}/maintenance), subject to the server command policy; audited.",
      input: McpIdArgsSchema.extend(NodeMaintenanceSchema.shape), output: NodeSchema, annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false }, scope: 'operator',
      acts: { nodes: existing },
    }, ({ id, maintenance }) => core.setMaintenance(id, maintenance, actor));

    tool('remove_node', {
      title: 'Remove node',
      description: 'Removes a node from the registry. Destructive: the server applies its command policy (deny by default headless; under ask a person is asked, at the client through MCP elicitation or in the desktop app).',
      input: McpIdArgsSchema, output: z.object({ removed: z.string() }), annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
      acts: { nodes: existing },
    }, ({ id }) => ({ removed: registry.remove(id).id }));

    tool('run_command', {
      title: 'Run command',
      description: 'Runs a shell command over SSH on nodes chosen by node_ids, role or tag, with a timeout in seconds; answers {run_id, results: [{node_id, exit_code, stdout, stderr, duration_ms, error}]}. Destructive: subject to the server command policy.',
      input: McpRunCommandArgsSchema, output: CommandResponseSchema, annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
      acts: { nodes: (request) => selectNodes(registry, request).map((n) => n.id) },
    }, (request) => ssh.run(request, actor));

    tool('get_metrics', {
      title: 'Get metrics',
      description: 'Reads load, CPU count, memory, root-disk usage and uptime of a node over SSH now (as GET /cluster/nodes/{id}/metrics).',
      input: McpIdArgsSchema, output: NodeMetricsSchema, annotations: READ_REMOTE,
    }, ({ id }) => ssh.getMetrics(id));

    tool('suggest_node', {
      title: 'Suggest nodes',
      description: 'Ranks healthy nodes with room for the given cpu_cores and memory_gb (and role, tags) by free capacity from live metrics; where Docker answers, Swarm reservations are taken off and fewer running containers wins a tie (running_containers).',
      input: McpSuggestArgsSchema, output: PlacementResponseSchema, annotations: READ,
    }, (request) => core.suggest(request));

    tool('list_events', {
      title: 'List events',
      description: 'Recent health events (state transitions, monitor offline/online, host key changes), newest last.',
      input: McpListEventsArgsSchema, output: z.object({ events: z.array(HealthEventSchema) }), annotations: READ,
    }, ({ node, limit }) => ({ events: eventLog.list({ node, limit }) }));

    tool('import_tailscale', {
      title: 'Import from Tailscale',
      description: 'Imports the tailnet\'s machines from `tailscale status --json` (document, or the local CLI when omitted). Unless dry_run is true it overwrites the address, OS and DNS name of nodes already registered under the same id; dry_run shows the diff only.',
      input: McpImportTailscaleArgsSchema, output: TailscaleImportReportSchema, annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
      acts: { changesNothing: { when: ({ dry_run }) => dry_run === true, says: '`dry_run`' } },
    }, async ({ document, ...importOptions }) => tailscale.import(document === undefined ? await tailscale.readFromCli() : document, importOptions));

    for (const table of TOOL_TABLES) table({ core, options, tool, actor });
    registerRunbookPrompts(server, core);

    server.registerResource('cluster-status', 'cluster://status', { title: 'Cluster status', mimeType: 'application/json' }, async (uri) => ({
      contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(shown(monitor.status(true))) }],
    }));
    server.registerResource(
      'node',
      new ResourceTemplate('node://{id}', { list: async () => ({ resources: registry.all().map((n) => ({ uri: `node://${n.id}`, name: n.id, mimeType: 'application/json' })) }) }),
      { title: 'Node', mimeType: 'application/json' },
      async (uri, variables) => {
        // An unknown node is the protocol's "resource not found" (-32002), not an internal error.
        if (!registry.get(String(variables.id))) throw new ResourceNotFoundError(uri.href, `No node with id "${String(variables.id)}"`);
        return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(shown(monitor.nodeWithHealth(String(variables.id)))) }] };
      },
    );
    if (!stateless) {
      announceNodeListChanges(server, core);
      serveResourceSubscriptions(server, core);
    }
    return server;
  };
  return Object.assign(factory, { toolScope: (name: string) => scopes.get(name), toolPolicy: (name: string) => policies.get(name) });
}

/**
 * Over stdio and the sockets we advertise resources.listChanged, so a session hears when a node is added or removed. Only an
 * initialised session listens, and it stops at close, so per-request HTTP servers leave no listener.
 */
function announceNodeListChanges(server: McpServer, core: Core): void {
  let off: (() => void) | null = null;
  const { oninitialized, onclose } = server.server;
  server.server.oninitialized = () => {
    off ??= core.registry.events.on('change', (change) => {
      if (change.type !== 'updated') void server.server.sendResourceListChanged().catch(() => undefined);
    });
    oninitialized?.();
  };
  server.server.onclose = () => {
    off?.();
    off = null;
    onclose?.();
  };
}

const GUARDED_NOTE = 'Subject to the server command policy: under ask a person approves every argument; under deny (the headless default) setting ssh.key_path, maintenance or muted_until is refused, because they choose a key or silence monitoring.';

/**
 * The tool's schema as the SDK sees it: the real JSON Schema for tools/list, but a validate that
 * passes everything through, so our handler validates and every call (even a bad one) is audited
 * and answered with field names the way REST answers.
 */
function advertiseOnly(schema: z.ZodType, json?: object | null): never {
  return withJsonSchema(schema, json, (value: unknown) => ({ value }));
}

/** The schema as the SDK sees it: its own JSON Schema when precomputed, and optionally another validator. */
function withJsonSchema(schema: z.ZodType, json?: object | null, validate?: (value: unknown) => unknown): never {
  const standard = schema['~standard'];
  const jsonSchema = json ? { jsonSchema: { input: () => json, output: () => json } } : {};
  return { '~standard': { ...standard, ...(validate ? { validate } : {}), ...jsonSchema } } as never;
}

function nodesOf(args: unknown): string[] {
  if (!args || typeof args !== 'object') return [];
  const a = args as { id?: unknown; node_ids?: unknown };
  if (Array.isArray(a.node_ids)) return a.node_ids.map(String);
  return typeof a.id === 'string' ? [a.id] : [];
}

/** A depth-bounded text of the arguments for the audit log (no env value): hostile nesting cannot stop the entry. */
function summarize(args: unknown): string {
  return renderArguments(shallow(args ?? {}, 6), 'audit').split('\n').join('; ');
}

function shallow(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth === 0) return '…';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => shallow(v, depth - 1));
  return Object.fromEntries(Object.entries(value).slice(0, 50).map(([k, v]) => [k, shallow(v, depth - 1)]));
}

/** After the fact, a failed audit write is reported but cannot undo the answer. */
function auditBestEffort(write: () => unknown): void {
  try {
    write();
  } catch (error) {
    console.error(`!!! ${(error as Error).message}`);
  }
}
