import { SdkError, SdkErrorCode, type McpServer, type ServerContext } from '@modelcontextprotocol/server';
import type { Askers, ElicitAnswer } from './destructive-guard';

/** The yes/no form the person at the client fills in (MCP elicitation, form mode). */
const ALLOW_FORM = {
  type: 'object' as const,
  properties: { allow: { type: 'boolean' as const, title: 'Allow this action', default: false } },
  required: ['allow'],
};

/** Whether the client said at `initialize` that it can show a form to its person. */
function canAskInForms(server: McpServer, ctx: ServerContext | undefined): ctx is ServerContext {
  // A 2026-07-28 request carries its own envelope and asks through input_required results, not
  // through a request to the client: not this path.
  if (!ctx || ctx.mcpReq.envelope) return false;
  const elicitation = server.server.getClientCapabilities()?.elicitation as { form?: object; url?: object } | undefined;
  if (!elicitation) return false;
  return elicitation.form !== undefined || elicitation.url === undefined; // {} means form, for older clients
}

/**
 * Who can be asked about one call: the person at the MCP client when it can show a form, and the
 * desktop dialog where there is one. The client's name comes from its `initialize`.
 */
export function askersFor(server: McpServer, ctx: ServerContext | undefined, dialog: Askers['dialog']): Askers {
  const client = server.server.getClientVersion()?.name ?? 'this MCP client';
  if (!canAskInForms(server, ctx)) return { client, dialog };
  const elicit = async (question: string, _request: unknown, timeoutMs: number): Promise<ElicitAnswer> => {
    try {
      const result = await ctx.mcpReq.elicitInput({ mode: 'form', message: question, requestedSchema: ALLOW_FORM }, { timeout: timeoutMs });
      if (result.action !== 'accept') return result.action;
      return result.content?.allow === true ? 'allow' : 'decline';
    } catch (error) {
      return error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout ? 'timeout' : 'cancel';
    }
  };
  return { client, elicit, dialog };
}
