import type { Core } from '../../src/core/app-core';
import { createApiHandlers, invokeHandler } from '../../src/core/api/api-handlers';
import { OrchestratorError } from '../../src/shared/errors';
import type { OrchestratorApi } from '../../src/shared/api-contract';
import { ApiError } from '../../src/shared/bridge-client';

/** `window.api` for component tests: the real contract handlers over a real core, errors as the UI gets them. */
export function apiOverCore(core: Core): OrchestratorApi {
  const handlers = createApiHandlers(core, 'test');
  return {
    invoke: (channel, arg) =>
      invokeHandler(handlers, channel, arg).catch((error: Error) => {
        throw new ApiError(error instanceof OrchestratorError ? error.toJSON() : { error: 'internal_error', message: error.message, details: [] });
      }) as never,
    on: () => () => {},
  };
}
