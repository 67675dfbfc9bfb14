import { randomBytes, randomUUID } from 'node:crypto';
import { SdkError, SdkErrorCode, createRequestStateCodec, inputRequired, inputResponse, type McpServer, type ServerContext } from '@modelcontextprotocol/server';
import { AskPending, type Askers, type DestructiveRequest, type ElicitAnswer } from './destructive-guard';

/** The yes/no form the person at the client fills in (MCP elicitation, form mode). */
const ALLOW_FORM = {
  type: 'object' as const,
  properties: { allow: { type: 'boolean' as const, title: 'Allow this action', default: false } },
  required: ['allow'],
};

/** What a 2026-era question carries through the client, sealed: the tool, its nodes, the digest of its arguments, and a one-time id. */
type AskState = Pick<DestructiveRequest, 'tool' | 'nodes' | 'digest'> & { once: string };

/**
 * Asking the person at an MCP client, in both protocol eras: a 2025-era session (stdio, the sockets)
 * gets an elicitation/create request and waits for it; a 2026-07-28 request (any transport, HTTP
 * included) ends its round with input_required, and the client retries with the answer. The retry's
 * state is sealed (HMAC, this process's key), bound to the exact request, valid for the timeout, and
 * honoured once, so an answer cannot be forged, reused or moved to another action.
 */
export function clientAsker(timeoutMs: number) {
  const ttlSeconds = Math.max(1, Math.round(timeoutMs / 1000));
  const codec = createRequestStateCodec<AskState>({ key: randomBytes(32), ttlSeconds });
  // One-time ids already honoured, until their state could no longer verify anyway (minted before now).
  const used = new Map<string, number>(); // once → when it can be forgotten

  // The retry must be the very call asked about: same tool, same nodes, same canonical arguments.
  const sameRequest = (a: AskState, b: DestructiveRequest) => a.tool === b.tool && a.digest === b.digest && JSON.stringify(a.nodes) === JSON.stringify(b.nodes);

  async function roundTrip(ctx: ServerContext, question: string, request: DestructiveRequest): Promise<ElicitAnswer> {
    const answer = inputResponse(ctx.mcpReq.inputResponses, 'allow');
    const sealed = ctx.mcpReq.requestState<string>();
    if (answer.kind !== 'elicit' || typeof sealed !== 'string') {
      const state = await codec.mint({ tool: request.tool, nodes: request.nodes, digest: request.digest, once: randomUUID() });
      throw new AskPending(inputRequired({ inputRequests: { allow: inputRequired.elicit({ message: question, requestedSchema: ALLOW_FORM }) }, requestState: state }));
    }
    let asked: AskState;
    try {
      asked = await codec.verify(sealed, ctx);
    } catch (error) {
      return (error as Error).message === 'expired' ? 'timeout' : 'mismatch';
    }
    const now = Date.now();
    for (const [once, until] of used) if (until < now) used.delete(once);
    if (!sameRequest(asked, request) || used.has(asked.once)) return 'mismatch';
    used.set(asked.once, now + ttlSeconds * 1000);
    if (answer.action !== 'accept') return answer.action;
    return answer.content?.allow === true ? 'allow' : 'decline';
  }

  async function pushed(ctx: ServerContext, question: string, timeoutMs: number): Promise<ElicitAnswer> {
    try {
      const result = await ctx.mcpReq.elicitInput({ mode: 'form', message: question, requestedSchema: ALLOW_FORM }, { timeout: timeoutMs });
      if (result.action !== 'accept') return result.action;
      return result.content?.allow === true ? 'allow' : 'decline';
    } catch (error) {
      return error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout ? 'timeout' : 'cancel';
    }
  }

  /**
   * Who can be asked about one call: the person at the client when it declared form elicitation
   * (at initialize, or in a 2026 request's envelope), and the desktop dialog where there is one.
   */
  return function askersFor(server: McpServer, ctx: ServerContext | undefined, dialog: Askers['dialog'], overHttp = false): Askers {
    const named = server.server.getClientVersion()?.name;
    // Over HTTP anyone with a token can say any name: the audit says it is the client's own word.
    const client = named && overHttp ? `the client that named itself "${named}"` : named;
    // A 2025-era request over stateless HTTP comes without its session's initialize: whatever the
    // client declared there, no question can reach it on this request.
    if (!client) return { client: 'this MCP client', dialog, unreachable: ctx ? 'over HTTP, only a client speaking MCP 2026-07-28 can be asked; over stdio any client with elicitation can' : undefined };
    const elicitation = server.server.getClientCapabilities()?.elicitation as { form?: object; url?: object } | undefined;
    const canAsk = ctx !== undefined && elicitation !== undefined && (elicitation.form !== undefined || elicitation.url === undefined); // {} means form
    if (!canAsk) return { client, dialog };
    const modern = ctx.mcpReq.envelope !== undefined;
    return { client, dialog, elicit: (question, request, ms) => (modern ? roundTrip(ctx, question, request) : pushed(ctx, question, ms)) };
  };
}
