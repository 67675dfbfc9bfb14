import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { InvokeChannel } from '../../../shared/api-contract';
import { CHANNEL_SCOPES } from '../../../shared/channel-scopes';
import { scopeAllows } from '../../../shared/schemas/auth';
import { useClusterStore } from './cluster-store';

/** Props for a control that calls `channel`: disabled, with the reason as its title, when the token's scope forbids it (or when `busy`). */
export type Gate = { disabled: boolean; title?: string };

/**
 * What this window may do, from the same table the service enforces (channel-scopes.ts): a control
 * takes `{...gate('nodes:create')}` and is disabled, saying why, for a token that would be refused.
 */
export function useGate(): (channel: InvokeChannel, busy?: boolean) => Gate {
  const { t } = useTranslation();
  const principal = useClusterStore((s) => s.principal);
  return useCallback(
    (channel: InvokeChannel, busy = false) => {
      const need = CHANNEL_SCOPES[channel];
      return scopeAllows(principal.scope, need) ? { disabled: busy } : { disabled: true, title: t('scope.needs', { need, name: principal.name, have: principal.scope }) };
    },
    [principal, t],
  );
}
