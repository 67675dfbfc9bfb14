import { OrchestratorError } from '../../shared/errors';
import type { CommandPolicy } from '../../shared/schemas/mcp';

/** What a person is asked to allow: the tool, the nodes and the exact command. */
export interface DestructiveRequest {
  tool: string;
  nodes: string[];
  detail: string;
}

/**
 * Node fields an agent may set only under the command policy: a key path chooses what file is read
 * as a private key, and maintenance or a mute silences monitoring of the node.
 */
export function guardedNodeFields(fields: { ssh?: { key_path?: unknown }; maintenance?: unknown; muted_until?: unknown }): string[] {
  return [
    ...(fields.ssh?.key_path !== undefined ? ['ssh.key_path'] : []),
    ...(fields.maintenance === true ? ['maintenance'] : []),
    ...(fields.muted_until ? ['muted_until'] : []),
  ];
}

/** Shows the request to a person (a native dialog in the desktop app); resolves true only on "allow". */
export type ConfirmDestructive = (request: DestructiveRequest) => Promise<boolean>;

/**
 * Destructive MCP tools pass through here, on the server side: the model cannot talk its way past
 * it with an argument. `deny` refuses, `allow` lets through, `ask` asks a person and treats a
 * missing answer (no dialog available, or the timeout) as no.
 */
export async function guardDestructive(policy: CommandPolicy, request: DestructiveRequest, confirm?: ConfirmDestructive, timeoutMs = 60_000): Promise<void> {
  if (policy === 'allow') return;
  const what = `${request.tool} on ${request.nodes.join(', ') || 'no nodes'}${request.detail ? `: ${request.detail}` : ''}`;
  if (policy === 'deny') {
    throw new OrchestratorError('forbidden', `Refused by the server's MCP command policy (deny): ${what}. A person can allow it with MCP_COMMAND_POLICY=ask or allow.`, [
      { field: 'policy', message: 'deny' },
    ]);
  }
  if (!confirm) throw new OrchestratorError('forbidden', `No one can be asked to allow ${what} here (policy ask); refused`, [{ field: 'policy', message: 'ask: no dialog available' }]);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    const allowed = await Promise.race([confirm(request).catch(() => false), timedOut]);
    if (!allowed) throw new OrchestratorError('forbidden', `A person did not allow ${what}`, [{ field: 'policy', message: 'ask: not allowed' }]);
  } finally {
    clearTimeout(timer);
  }
}
