import type { Core } from '../../core/app-core';

/** What every route plugin is given: the core services and a few facts about the service. */
export interface RouteContext {
  core: Core;
  info: { name: string; version: string; docs: string };
  /** Whether a built web UI is being served at /. */
  webUi: boolean;
}
