import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import { jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { addOperationLinks, documentRoute } from './openapi-document';

type RouteShape = Pick<RouteOptions, 'method' | 'url' | 'schema'>;

export interface OpenApiOptions {
  version: string;
  isPublicPath: (method: string, url: string) => boolean;
}

/**
 * The OpenAPI document, built when /openapi.json or /docs is first asked for rather than at start-up:
 * the routes the app registered (kept by an onRoute hook) are declared again on an instance that is
 * never listened on, where @fastify/swagger turns their zod schemas into the document.
 */
export function lazyOpenApi(app: FastifyInstance, options: OpenApiOptions): () => Promise<Record<string, unknown>> {
  const routes: RouteShape[] = [];
  app.addHook('onRoute', ({ method, url, schema }) => {
    // HEAD twins of GET routes are made again by the instance below, as they were here.
    const methods = [method].flat().filter((m) => m !== 'HEAD');
    if (methods.length > 0) routes.push({ method: methods, url, schema });
  });
  let document: Promise<Record<string, unknown>> | undefined;
  const build = async (): Promise<Record<string, unknown>> => {
    const { default: fastifySwagger } = await import('@fastify/swagger');
    const doc: FastifyInstance = Fastify({ logger: false });
    // Schemas are only read here, never used to validate or serialise.
    doc.setValidatorCompiler(() => () => true);
    doc.setSerializerCompiler(() => (data) => JSON.stringify(data));
    await doc.register(fastifySwagger, {
      openapi: {
        openapi: '3.0.3',
        info: { title: 'MCP Cloud Orchestrator', version: options.version, description:
            'Node registry, health monitoring and fleet operations. Send `Authorization: Bearer <token>`: the admin token (`DATA_DIR/api-token` or `API_TOKEN`), or a scoped token from `POST /cluster/tokens`. ' +
            'Scopes: `viewer` reads everything but secrets; `operator` also checks now, pauses and resumes, mutes, sets maintenance, acts on containers and drains or activates Swarm nodes; `admin` does everything. ' +
            "Each operation names the scope it needs (`x-required-scope`); a token below it gets 403 naming that scope.",
        },
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
        security: [{ bearer: [] }],
      },
      transform: documentRoute(options.isPublicPath),
      transformObject: jsonSchemaTransformObject,
    });
    await doc.register(async (scope) => {
      for (const route of routes) scope.route({ ...route, handler: async () => null });
    });
    await doc.ready();
    const result = doc.swagger() as unknown as Record<string, unknown>;
    addOperationLinks(result as Parameters<typeof addOperationLinks>[0]);
    await doc.close();
    return result;
  };
  return () =>
    (document ??= build().catch((error: unknown) => {
      document = undefined; // tried again at the next request
      throw error;
    }));
}
