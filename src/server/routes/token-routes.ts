import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TokenCreatedSchema, TokenCreateSchema, TokenIdSchema, TokenInfoSchema, TokenListSchema } from '../../shared/schemas/auth';
import { restActor, type RouteContext } from './route-context';
import { domainErrors } from '../http/openapi-document';

/** Scoped API tokens (admin only, by the scope rule in http/route-scopes.ts); each change is audited by the token store. */
export const tokenRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, { core }) => {
  const tags = ['tokens'];
  app.get('/cluster/tokens', { schema: { tags, summary: 'Scoped tokens: id, name, scope, creation, last use, expiry; never a secret', response: { 200: TokenListSchema } } }, async () => ({ tokens: core.tokens.list() }));
  app.post('/cluster/tokens', { schema: { tags, summary: 'Create a token of scope viewer, operator or admin; the secret is in this answer only', body: TokenCreateSchema, response: { 201: TokenCreatedSchema }, ...domainErrors(409) } }, async (request, reply) => {
    const created = core.tokens.create(request.body, restActor(request));
    reply.code(201);
    return created;
  });
  app.delete('/cluster/tokens/:id', { schema: { tags, summary: 'Revoke a token: refused from its next request on', params: z.object({ id: TokenIdSchema }), response: { 200: TokenInfoSchema }, ...domainErrors(404) } }, async (request) =>
    core.tokens.revoke(request.params.id, restActor(request)),
  );
};
