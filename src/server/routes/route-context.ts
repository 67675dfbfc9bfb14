import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../core/app-core';
import { principalLabel } from '../http/access-guard';

/** What every route plugin is given: the core services and a few facts about the service. */
export interface RouteContext {
  core: Core;
  info: { name: string; version: string; docs: string };
  /** Answers a request with the built web UI's files (its index.html for /), or null when there is none. */
  webPage: ((request: FastifyRequest, reply: FastifyReply) => Promise<void>) | null;
}

/** Who acts through REST, for the audit and event logs: the token's name, never its secret. */
export const restActor = (request: FastifyRequest): string => `rest:${request.principal ? principalLabel(request.principal) : 'admin token'}`;
