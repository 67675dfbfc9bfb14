import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { McpServerFactory } from '../../core/mcp/mcp-tools';
import type { TokenStore } from '../../core/auth/token-store';
import { principalLabel, requireScope } from '../http/access-guard';

/** The tools a JSON-RPC body (one message or a batch) calls. */
function calledTools(body: unknown): string[] {
  const messages = Array.isArray(body) ? body : [body];
  return messages.flatMap((m) => (m && typeof m === 'object' && m.method === 'tools/call' && typeof m.params?.name === 'string' ? [m.params.name as string] : []));
}

/**
 * Streamable HTTP MCP at /mcp. It sits behind the same onRequest guard as REST, so the bearer token
 * and the Host/Origin check apply before any MCP message is read. The token's scope chooses the
 * tools a request sees; a call to one outside it answers 403 naming the scope, and a request still
 * open when its token is revoked or expires is cut off.
 */
export const mcpRoutes: FastifyPluginAsync<{ loadFactory: () => Promise<McpServerFactory>; tokens: TokenStore }> = async (app, { loadFactory, tokens }) => {
  // The tools, the SDK and its HTTP transport are loaded by the first MCP request, not at start-up.
  let loaded: Promise<{ factory: McpServerFactory; handle: ReturnType<typeof import('@modelcontextprotocol/node').toNodeHandler> }> | undefined;
  const load = async () => {
    const [factory, { createMcpHandler }, { toNodeHandler }] = await Promise.all([loadFactory(), import('@modelcontextprotocol/server'), import('@modelcontextprotocol/node')]);
    factory(); // one build, discarded, so that every tool's scope is known before the first call
    return { factory, handle: toNodeHandler(createMcpHandler(factory, { onerror: (error) => app.log.warn({ err: error }, 'mcp') })) };
  };
  const serve = async (request: FastifyRequest, reply: FastifyReply) => {
    const { factory, handle } = await (loaded ??= load());
    const principal = request.principal!; // the access guard has set it: /mcp is never public
    for (const name of calledTools(request.body)) {
      const need = factory.toolScope(name);
      if (need) requireScope(principal, need, `the MCP tool ${name}`);
    }
    reply.hijack();
    const unwatch = principal.id ? tokens.watch(principal.id, () => request.raw.socket.destroy()) : () => {};
    reply.raw.once('close', unwatch);
    // The SDK hands authInfo to the factory, which builds the server for this token's scope.
    Object.assign(request.raw, { auth: { token: '', clientId: principalLabel(principal), scopes: [principal.scope] } });
    await handle(request.raw, reply.raw, request.body);
  };
  app.post('/mcp', { schema: { hide: true } }, serve);
  app.get('/mcp', { schema: { hide: true } }, serve);
  app.delete('/mcp', { schema: { hide: true } }, serve);
};
