import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * A Fastify instance built at the first request that needs it, then kept. The service's own app
 * forwards to it from ordinary routes, after its guard has run; pages only a browser asks for (Swagger
 * UI, the web UI's static files) then cost nothing at start-up, where they were most of the time to the
 * first answer. The caller gives the instance the same error and not-found handlers as the app.
 */
export function lazyApp(build: () => Promise<FastifyInstance>) {
  let instance: Promise<FastifyInstance> | undefined;
  const ready = (): Promise<FastifyInstance> =>
    (instance ??= build().then(async (sub) => {
      await sub.ready();
      return sub;
    }).catch((error: unknown) => {
      instance = undefined; // a failed build is tried again by the next request
      throw error;
    }));
  return {
    /** Answers the request from the lazily built instance (same method, URL and headers). */
    async forward(request: FastifyRequest, reply: FastifyReply): Promise<void> {
      const sub = await ready();
      reply.hijack();
      sub.routing(request.raw, reply.raw);
    },
    async close(): Promise<void> {
      if (instance) await (await instance.catch(() => null))?.close();
    },
  };
}
