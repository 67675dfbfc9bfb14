import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { InvokeChannel } from '../../../shared/api-contract';
import { CHANNEL_SCOPES } from '../../../shared/channel-scopes';
import { scopeAllows } from '../../../shared/schemas/auth';
import { useClusterStore } from './cluster-store';

/** What a nodes file in sync mode defines: the service answers 409 to these, so they are disabled here. */
const FILE_DEFINED: ReadonlySet<InvokeChannel> = new Set(['nodes:create', 'nodes:update', 'nodes:remove', 'registry:import', 'tailscale:import', 'demo:start', 'demo:remove']);

/** Props for a control that calls `channel`: disabled, with the reason as its title, when the token's scope forbids it (or when `busy`). */
export type Gate = { disabled: boolean; title?: string };

/**
 * What this window may do, from the same table the service enforces (channel-scopes.ts): a control
 * takes `{...gate('nodes:create')}` and is disabled, saying why, for a token that would be refused.
 */
export function useGate(): (channel: InvokeChannel, busy?: boolean) => Gate {
  const { t } = useTranslation();
  const principal = useClusterStore((s) => s.principal);
  const definedBy = useClusterStore((s) => s.definedBy);
  return useCallback(
    (channel: InvokeChannel, busy = false) => {
      if (definedBy && FILE_DEFINED.has(channel)) return { disabled: true, title: t('scope.definedBy', { file: definedBy }) };
      const need = CHANNEL_SCOPES[channel];
      return scopeAllows(principal.scope, need) ? { disabled: busy } : { disabled: true, title: t('scope.needs', { need, name: principal.name, have: principal.scope }) };
    },
    [principal, definedBy, t],
  );
}
