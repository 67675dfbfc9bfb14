import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyWebsocket from '@fastify/websocket';
import { BRIDGE_SUBPROTOCOL } from '../../shared/bridge-client';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { FastifyReply, FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { HTTP_STATUS_BY_CODE, OrchestratorError, validationError } from '../../shared/errors';
import type { Core } from '../../core/app-core';
import { accessGuard, allowedHostsFor } from './access-guard';
import { methodTable } from './method-guard';
import { clientErrorHandler, errorHandler } from './error-handler';
import { acceptJsonBodiesOnly } from './json-body';
import { redactUrlForLog, viewForScope } from '../../core/util/redaction';
import { htmlPage } from './openapi-document';
import { lazyOpenApi } from './openapi-app';
import { lazyApp } from './lazy-app';
import { MAX_PATH_PARAM_LENGTH } from '../../shared/schemas/api';
import { metaRoutes } from '../routes/meta-routes';
import { clusterRoutes } from '../routes/cluster-routes';
import { nodeRoutes } from '../routes/node-routes';
import { registryIoRoutes } from '../routes/registry-io-routes';
import { sshRoutes } from '../routes/ssh-routes';
import { mcpRoutes } from '../routes/mcp-routes';
import { alertRoutes } from '../routes/alert-routes';
import { metricsRoutes } from '../routes/metrics-routes';
import { containerRoutes } from '../routes/container-routes';
import { workloadRoutes } from '../routes/workload-routes';
import { tokenRoutes } from '../routes/token-routes';
import { authFailureLimiter } from './auth-failures';
import type { McpServerFactory } from '../../core/mcp/mcp-tools';
import { registerWebBridge, BRIDGE_MAX_PAYLOAD, BRIDGE_PATH } from '../web-bridge';

export interface AppOptions {
  core: Core;
  token: string;
  host: string;
  port: number;
  version: string;
  debug?: boolean;
  /** Directory of the built web UI (index.html + assets); null serves the API only. */
  webRoot?: string | null;
  bodyLimit?: number;
  /** ReDoc's standalone script (out/docs); absent or missing, /redoc answers 404. */
  redocScript?: string | null;
  /** Swagger UI's assets (out/docs/swagger-ui); absent, the package's own folder (not there in a bundle). */
  swaggerUiDir?: string | null;
  /** Loads (at the first /mcp request) what builds an MCP server per request; absent, /mcp is not served. */
  loadMcpFactory?: () => Promise<McpServerFactory>;
  /** Failed authentications per client address per minute before 429 (default 10). */
  authFailuresPerMinute?: number;
}

// Validation with the shared zod schemas; failures become our 422 with field names.
const zodValidator: FastifySchemaCompiler<z.ZodType> = ({ schema }) => (data) => {
  const result = schema.safeParse(data);
  return result.success ? { value: result.data } : { error: validationError(result.error, '', data) };
};
// Answers are our own shapes already: plain JSON, no response-schema serializer.
const jsonSerializer = () => (data: unknown) => JSON.stringify(data);

const PUBLIC_PREFIXES = ['/docs', '/redoc', '/assets/'];
/** Served without a token: liveness, the docs and the web UI's static files. */
function isPublicPath(method: string, urlPath: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (urlPath === '/health' || urlPath === '/openapi.json' || urlPath === '/favicon.ico' || urlPath === BRIDGE_PATH) return true;
  return PUBLIC_PREFIXES.some((prefix) => urlPath.startsWith(prefix));
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { core, token, host, port, version } = options;
  const webRoot = options.webRoot && fs.existsSync(path.join(options.webRoot, 'index.html')) ? options.webRoot : null;
  const handleError = errorHandler(options.debug ?? false);
  const app = Fastify({
    logger: options.debug
      ? {
          level: 'info',
          redact: ['req.headers.authorization'],
          // The login URL carries the token in its query; it must not reach the log.
          serializers: { req: (req) => ({ method: req.method, url: redactUrlForLog(req.url), remoteAddress: req.ip }) },
        }
      : false,
    bodyLimit: options.bodyLimit ?? 2 * 1024 * 1024,
    forceCloseConnections: true,
    routerOptions: { maxParamLength: MAX_PATH_PARAM_LENGTH },
    // Router refusals (bad URL, long parameter) and HTTP parse errors answer in the shared shape too.
    frameworkErrors: handleError,
    clientErrorHandler,
    // Our compilers given at construction too: Fastify then never loads its own (ajv and
    // fast-json-stringify, some 100 modules that every start evaluated only to set aside). Its
    // types know only ajv's factories; at run time a factory answers the compiler, as the setters do.
    schemaController: { compilersFactory: { buildValidator: () => zodValidator, buildSerializer: () => jsonSerializer } as never },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(zodValidator);
  app.setSerializerCompiler(jsonSerializer);
  app.setErrorHandler(handleError);
  acceptJsonBodiesOnly(app);
  const notFound = (request: FastifyRequest, reply: FastifyReply): void => {
    const error = new OrchestratorError('not_found', `No route ${request.method} ${request.url.split('?')[0]}`);
    void reply.status(HTTP_STATUS_BY_CODE.not_found).send(error.toJSON());
  };
  app.setNotFoundHandler(notFound);
  /** An instance for pages only a browser asks for, answering errors in the same shape as the app. */
  const pagesApp = async (register: (sub: FastifyInstance) => Promise<unknown>): Promise<FastifyInstance> => {
    const sub = Fastify({ logger: false, routerOptions: { maxParamLength: MAX_PATH_PARAM_LENGTH }, frameworkErrors: handleError });
    sub.setErrorHandler(handleError);
    sub.setNotFoundHandler(notFound);
    await register(sub);
    return sub;
  };

  // The port may be 0 (tests): the allowed Host names are known once the server is listening.
  let allowedHosts: Set<string> | null = port === 0 ? null : allowedHostsFor(host, port);
  const currentAllowedHosts = (): Set<string> => {
    if (allowedHosts) return allowedHosts;
    const address = app.server.address();
    return address && typeof address === 'object' ? (allowedHosts = allowedHostsFor(host, address.port)) : new Set();
  };
  const isPublic = (request: FastifyRequest): boolean => {
    const urlPath = request.url.split('?')[0];
    if (isPublicPath(request.method, urlPath)) return true;
    // The web UI's page carries no data (the bridge checks the token); the JSON answer of GET / does.
    return webRoot !== null && request.method === 'GET' && urlPath === '/' && (request.headers.accept ?? '').includes('text/html');
  };
  const methods = methodTable();
  const failures = authFailureLimiter(options.authFailuresPerMinute);
  app.addHook('onRoute', (route) => methods.onRoute(route));
  app.addHook(
    'onRequest',
    accessGuard({
      token,
      get allowedHosts() {
        return currentAllowedHosts();
      },
      isPublic,
      allowedMethods: (request) => methods.allowedFor(request),
      tokens: core.tokens,
      failures,
    }),
  );
  // Every answer is what the caller's scope may read (redaction.ts): one step for every route.
  app.addHook('preSerialization', async (request, _reply, payload) => (request.principal ? viewForScope(payload, request.principal.scope) : payload));

  const openApiDocument = lazyOpenApi(app, { version, isPublicPath });
  // Swagger UI (and @fastify/static, which it serves its files with) loads at the first /docs request,
  // showing this app's document. Its page is public and documented like the other docs routes.
  const docs = lazyApp(() =>
    pagesApp(async (sub) => {
      const { default: fastifySwagger } = await import('@fastify/swagger');
      await sub.register(fastifySwagger, { mode: 'static', specification: { document: (await openApiDocument()) as never } });
      const assets = options.swaggerUiDir && fs.existsSync(path.join(options.swaggerUiDir, 'swagger-ui-bundle.js')) ? options.swaggerUiDir : null;
      const logo = assets ? { logo: { type: 'image/svg+xml', content: fs.readFileSync(path.join(assets, 'logo.svg')) } } : {};
      await sub.register((await import('@fastify/swagger-ui')).default, { routePrefix: '/docs', ...(assets ? { baseDir: assets } : {}), ...logo });
    }),
  );
  app.get('/docs/', { schema: htmlPage('Swagger UI (no token needed)') }, docs.forward);
  app.get('/docs', { schema: { hide: true } }, docs.forward);
  app.get('/docs/*', { schema: { hide: true } }, docs.forward);
  app.get('/openapi.json', { schema: { tags: ['meta'], summary: 'This OpenAPI document (no token needed)', response: { 200: z.record(z.string(), z.unknown()) } } }, openApiDocument);
  // Paths come from the caller (CLI or desktop shell): nothing here is computed from this file's URL,
  // because bundlers move this code (electron-vite also injects its own `require` into such chunks).
  const redocScript = options.redocScript && fs.existsSync(options.redocScript) ? options.redocScript : null;
  if (redocScript) {
    app.get('/redoc', { schema: htmlPage('ReDoc (no token needed)') }, async (_request, reply) =>
      reply.type('text/html').send('<!doctype html><html><head><meta charset="utf-8"><title>MCP Cloud Orchestrator — ReDoc</title></head><body><redoc spec-url="/openapi.json"></redoc><script src="/redoc/redoc.standalone.js"></script></body></html>'),
    );
    app.get('/redoc/redoc.standalone.js', { schema: { hide: true } }, async (_request, reply) => reply.type('application/javascript').send(fs.createReadStream(redocScript)));
  }

  // The bridge's subprotocol is selected without echoing the token that follows it.
  await app.register(fastifyWebsocket, { options: { maxPayload: BRIDGE_MAX_PAYLOAD, handleProtocols: (offered: Set<string>) => (offered.has(BRIDGE_SUBPROTOCOL) ? BRIDGE_SUBPROTOCOL : false) } });
  // Upgraded sockets (the bridge, and upgrades refused by the guard) are not closed by
  // forceCloseConnections; without this, close() would wait for every client to hang up.
  const upgraded = new Set<import('node:net').Socket>();
  app.server.on('upgrade', (_request, socket: import('node:net').Socket) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
  });
  // The web UI's files, from an instance with @fastify/static built at the first request for one.
  const web = webRoot
    ? lazyApp(() =>
        pagesApp(async (sub) => {
          // The page is never stored (it may be opened with a token); hashed assets may be cached.
          const cacheControl = (res: { setHeader(name: string, value: string): unknown }, file: string) => void res.setHeader('cache-control', file.endsWith('.html') ? 'no-store' : 'public, max-age=0');
          await sub.register((await import('@fastify/static')).default, { root: webRoot, prefix: '/', index: false, wildcard: true, cacheControl: false, setHeaders: cacheControl });
          sub.get('/', (_request, reply) => reply.sendFile('index.html'));
        }),
      )
    : null;
  if (web) app.get('/*', { schema: { hide: true } }, web.forward);
  app.addHook('preClose', async () => {
    for (const socket of upgraded) socket.destroy();
  });
  app.addHook('onClose', async () => {
    await docs.close();
    await web?.close();
  });
  registerWebBridge(app, core, token, failures);

  const context = { core, info: { name: 'MCP Cloud Orchestrator', version, docs: '/docs' }, webPage: web?.forward ?? null };
  await app.register(metaRoutes, context);
  await app.register(clusterRoutes, context);
  await app.register(nodeRoutes, context);
  await app.register(registryIoRoutes, context);
  await app.register(sshRoutes, context);
  await app.register(alertRoutes, context);
  await app.register(metricsRoutes, context);
  await app.register(containerRoutes, context);
  await app.register(workloadRoutes, context);
  await app.register(tokenRoutes, context);
  if (options.loadMcpFactory) await app.register(mcpRoutes, { loadFactory: options.loadMcpFactory, tokens: core.tokens });
  return app;
}
