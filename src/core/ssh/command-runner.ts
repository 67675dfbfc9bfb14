import crypto from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { OrchestratorError, parseOrThrow } from '../../shared/errors';
import type { Node } from '../../shared/schemas/node';
import { CommandRequestSchema, type CommandResponse, type CommandResult, type CommandStreamEvent } from '../../shared/schemas/ssh';
import type { NodeRegistry } from '../registry/node-registry';
import { runBounded } from '../prober/run-bounded';
import type { AuditLog } from './audit-log';
import type { SshConnectionPool } from './ssh-connection-pool';
import { execCommand } from './remote-exec';

/** Resolves the nodes a request names: ids (each must exist), a role, or a tag. */
export function selectNodes(registry: NodeRegistry, request: { node_ids?: string[]; role?: string; tag?: string }): Node[] {
  if (request.node_ids) {
    const missing = request.node_ids.map((id, i) => [id, i] as const).filter(([id]) => !registry.get(id));
    if (missing.length > 0) {
      throw new OrchestratorError('not_found', `Unknown node id(s): ${missing.map(([id]) => id).join(', ')}`, missing.map(([id, i]) => ({ field: `node_ids.${i}`, message: `no node with id "${id}"` })));
    }
    return [...new Set(request.node_ids)].map((id) => registry.get(id)!);
  }
  return registry.list({ role: request.role as Node['role'] | undefined, tag: request.tag });
}

/** Fans a command out over SSH with bounded concurrency, streaming output and recording an audit entry. */
export class CommandRunner {
  readonly #running = new Map<string, AbortController>();

  constructor(
    private readonly registry: NodeRegistry,
    private readonly pool: SshConnectionPool,
    private readonly audit: AuditLog,
    private readonly concurrency: number,
  ) {}

  async run(input: unknown, actor: string, onEvent?: (event: CommandStreamEvent) => void): Promise<CommandResponse> {
    const request = parseOrThrow(CommandRequestSchema, input);
    const nodes = selectNodes(this.registry, request);
    const runId = request.run_id ?? crypto.randomUUID();
    // Audited before anything runs: if the entry cannot be written (full disk), nothing runs.
    this.audit.record({ actor, action: 'run_command', nodes: nodes.map((n) => n.id), detail: request.command, outcome: `started (run ${runId})` });
    const abort = new AbortController();
    setMaxListeners(0, abort.signal); // one listener per node in flight
    this.#running.set(runId, abort);
    let done = 0;
    try {
      const results = await runBounded(nodes, this.concurrency, async (node): Promise<CommandResult> => {
        const started = performance.now();
        let result: CommandResult;
        if (abort.signal.aborted) {
          result = { node_id: node.id, exit_code: null, stdout: '', stderr: '', duration_ms: 0, error: 'cancelled before it started' };
        } else {
          try {
            const outcome = await this.pool.with(node, (client) =>
              execCommand(client, request.command, {
                timeoutMs: request.timeout * 1000,
                signal: abort.signal,
                onOutput: (stream, chunk) => onEvent?.({ run_id: runId, type: 'output', node_id: node.id, stream, chunk }),
              }),
            );
            result = { node_id: node.id, ...outcome, duration_ms: Math.round(performance.now() - started) };
          } catch (error) {
            result = { node_id: node.id, exit_code: null, stdout: '', stderr: '', duration_ms: Math.round(performance.now() - started), error: (error as Error).message };
          }
        }
        onEvent?.({ run_id: runId, type: 'done', node_id: node.id, result, done: ++done, total: nodes.length });
        return result;
      });
      const ok = results.filter((r) => r.exit_code === 0).length;
      try {
        this.audit.record({ actor, action: 'run_command', nodes: nodes.map((n) => n.id), detail: request.command, outcome: `${ok}/${results.length} exited 0${abort.signal.aborted ? ' (cancelled)' : ''} (run ${runId})` });
      } catch (error) {
        console.error(`!!! ${(error as Error).message}`); // it ran and was audited as started; the results still go back
      }
      return { run_id: runId, results };
    } finally {
      this.#running.delete(runId);
    }
  }

  cancel(runId: string): boolean {
    const abort = this.#running.get(runId);
    abort?.abort();
    return Boolean(abort);
  }
}
