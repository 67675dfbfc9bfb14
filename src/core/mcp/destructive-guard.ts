import { OrchestratorError } from '../../shared/errors';
import type { CommandPolicy } from '../../shared/schemas/mcp';

/** What a person is asked to allow: the tool, the nodes, and every argument the call will run with. */
export interface DestructiveRequest {
  tool: string;
  nodes: string[];
  /** Every argument, one `path: value` line each (action-arguments.ts), as the person reads it. */
  detail: string;
  /** SHA-256 of the tool, the nodes and the canonical arguments: an answer is bound to it. */
  digest: string;
}

/**
 * How an acting tool meets the command policy. Under `ask` every acting call asks, except one that
 * changes nothing (a dry run); under `deny` a call is refused unless `deny` says this one may run.
 */
export interface ActingTool<A> {
  /** The nodes the call acts on (and a check that they exist), shown to the person. */
  nodes?: (args: A) => string[];
  /** Under `deny`, which calls are refused (all of them when absent); `says` names them for the README. */
  deny?: { refuses: (args: A) => boolean; says: string };
  /** A call that changes nothing (a dry run) runs under every policy; `says` names it for the README. */
  changesNothing?: { when: (args: A) => boolean; says: string };
  /** What the call will lead to, read before the arguments when a person is asked (a deploy's plan); best effort. */
  foresee?: (args: A) => Promise<string | null>;
}

/** Whether a call must pass a person (ask) or is refused (deny) before it runs; `allow` lets all through. */
export function policyApplies<A>(policy: CommandPolicy, acting: ActingTool<A>, args: A): boolean {
  if (policy === 'allow' || acting.changesNothing?.when(args)) return false;
  return policy === 'ask' || (acting.deny ? acting.deny.refuses(args) : true);
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

/** What the person at the MCP client answered (MCP elicitation), that none came in time, or that it was not for this request. */
export type ElicitAnswer = 'allow' | 'decline' | 'cancel' | 'timeout' | 'mismatch';

/** Who can be asked under `ask`: the person at the MCP client first, else the desktop app's dialog. */
export interface Askers {
  /** The client's name from `initialize`, for messages and the audit log. */
  client: string;
  /** Asks the person at the client through MCP elicitation; absent when the client cannot. */
  elicit?: (question: string, request: DestructiveRequest, timeoutMs: number) => Promise<ElicitAnswer>;
  /** The desktop app's native dialog, where there is one. */
  dialog?: ConfirmDestructive;
  /** Why the client cannot be asked, when that is not simply a missing capability. */
  unreachable?: string;
}

/**
 * Thrown by an asker that must end this round to ask (MCP 2026-07-28: the call answers
 * input_required, and the client retries it with the person's answer); carries that answer.
 */
export class AskPending extends Error {
  constructor(readonly result: unknown) {
    super('waiting for the person at the client');
  }
}

/** How long a person has to answer under `ask`, unless MCP_ASK_TIMEOUT (or the desktop's setting) says otherwise. */
export const DEFAULT_ASK_TIMEOUT_MS = 60_000;

const refuse = (message: string, why: string) => new OrchestratorError('forbidden', message, [{ field: 'policy', message: why }]);

/**
 * Acting MCP tools pass through here, on the server side: the model cannot talk its way past it
 * with an argument. `deny` refuses, `allow` lets through, `ask` asks a person (at the client through
 * elicitation, else in the desktop app's dialog) and treats no answer within the timeout as no.
 * Resolves with who allowed it, for the audit log.
 */
export async function guardDestructive(policy: CommandPolicy, request: DestructiveRequest, askers: Askers = { client: 'the client' }, timeoutMs = DEFAULT_ASK_TIMEOUT_MS): Promise<string> {
  if (policy === 'allow') return 'allowed by the command policy (allow)';
  const what = `${request.tool} on ${request.nodes.join(', ') || 'no nodes'}`;
  if (policy === 'deny') {
    throw refuse(`Refused by the server's MCP command policy (deny): ${what}. A person can allow it with MCP_COMMAND_POLICY=ask or allow.`, 'deny');
  }
  const seconds = `${Math.round(timeoutMs / 1000)} s`;
  if (askers.elicit) {
    const question = `An agent at ${askers.client} asks to run ${what}, with exactly these arguments:\n${request.detail}\nAllow it?`;
    const answer = await askers.elicit(question, request, timeoutMs).catch((error: unknown) => {
      if (error instanceof AskPending) throw error;
      return 'cancel' as const;
    });
    if (answer === 'allow') return `allowed by the person at ${askers.client} (elicitation)`;
    if (answer === 'mismatch') throw refuse(`The answer from ${askers.client} was not one this server asked for about ${what} (forged, reused or for another action): refused`, 'ask: answer does not match');
    if (answer === 'timeout') throw refuse(`No answer from the person at ${askers.client} within ${seconds}: ${what} refused`, 'ask: no answer');
    throw refuse(`${what}: declined by the person at the client (${askers.client})`, `ask: ${answer === 'decline' ? 'declined' : 'cancelled'}`);
  }
  if (!askers.dialog) {
    throw refuse(
      `${askers.client} cannot ask a person (${askers.unreachable ?? 'it does not support MCP elicitation'}) and no desktop dialog is here, so ${what} is refused under policy ask. ` +
        'Use a client with elicitation, or set MCP_COMMAND_POLICY=allow to let agents act without asking.',
      'ask: the client cannot ask a person',
    );
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    const allowed = await Promise.race([askers.dialog(request).catch(() => false), timedOut]);
    if (!allowed) throw refuse(`A person did not allow ${what}`, 'ask: not allowed');
    return 'allowed by a person in the desktop app';
  } finally {
    clearTimeout(timer);
  }
}

/** How a tool meets each policy, in the README's words: `ask` and `deny` columns of its tools table. */
export function policyInWords(readOnly: boolean, acting: ActingTool<never> = {}): { ask: string; deny: string } {
  if (readOnly) return { ask: 'runs', deny: 'runs' };
  const unless = acting.changesNothing ? `, unless ${acting.changesNothing.says}` : '';
  return { ask: `asks${unless}`, deny: acting.deny ? acting.deny.says : `refused${unless}` };
}
