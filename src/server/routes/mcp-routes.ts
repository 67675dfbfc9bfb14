import type { FastifyPluginAsync } from 'fastify';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import type { McpServer } from '@modelcontextprotocol/server';

/**
 * Streamable HTTP MCP at /mcp. It sits behind the same onRequest guard as REST, so the bearer token
 * and the Host/Origin check apply before any MCP message is read.
 */
export const mcpRoutes: FastifyPluginAsync<{ factory: () => McpServer }> = async (app, { factory }) => {
  const handle = toNodeHandler(createMcpHandler(factory, { onerror: (error) => app.log.warn({ err: error }, 'mcp') }));
  const serve = async (request: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply) => {
    reply.hijack();
    await handle(request.raw, reply.raw, request.body);
  };
  app.post('/mcp', { schema: { hide: true } }, serve);
  app.get('/mcp', { schema: { hide: true } }, serve);
  app.delete('/mcp', { schema: { hide: true } }, serve);
};
