import type { FastifyPluginAsync } from 'fastify';
import type { McpServer } from '@modelcontextprotocol/server';

/**
 * Streamable HTTP MCP at /mcp. It sits behind the same onRequest guard as REST, so the bearer token
 * and the Host/Origin check apply before any MCP message is read.
 */
export const mcpRoutes: FastifyPluginAsync<{ loadFactory: () => Promise<() => McpServer> }> = async (app, { loadFactory }) => {
  // The tools, the SDK and its HTTP transport are loaded by the first MCP request, not at start-up.
  let handler: Promise<ReturnType<typeof import('@modelcontextprotocol/node').toNodeHandler>> | undefined;
  const load = async () => {
    const [factory, { createMcpHandler }, { toNodeHandler }] = await Promise.all([loadFactory(), import('@modelcontextprotocol/server'), import('@modelcontextprotocol/node')]);
    return toNodeHandler(createMcpHandler(factory, { onerror: (error) => app.log.warn({ err: error }, 'mcp') }));
  };
  const serve = async (request: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply) => {
    reply.hijack();
    const handle = await (handler ??= load());
    await handle(request.raw, reply.raw, request.body);
  };
  app.post('/mcp', { schema: { hide: true } }, serve);
  app.get('/mcp', { schema: { hide: true } }, serve);
  app.delete('/mcp', { schema: { hide: true } }, serve);
};
