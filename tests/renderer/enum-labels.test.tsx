// @vitest-environment happy-dom
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from '@testing-library/react';
import { i18n, setupI18n } from '../../src/renderer/src/i18n/setup-i18n';
import { channelTypeLabel, containerStateLabel, roleLabel, stateLabel } from '../../src/renderer/src/i18n/enum-labels';
import { useClusterStore } from '../../src/renderer/src/store/cluster-store';
import { NodeTable } from '../../src/renderer/src/components/NodeTable';
import { catalogues, LANGUAGES } from '../../src/shared/i18n/catalogue';
import { HealthStateSchema, NODE_ROLES } from '../../src/shared/schemas/node';
import { ClusterStateSchema } from '../../src/shared/schemas/health';
import { AlertChannelSchema } from '../../src/shared/schemas/alerts';
import { loadedStoreFixture, nodeFixture } from './fixtures';

// Every enum a person sees goes through the catalogue, in both languages (issue 31, item 6).
const initial = useClusterStore.getState();
afterEach(() => {
  cleanup();
  useClusterStore.setState(initial, true);
});
afterAll(() => setupI18n('en'));

const STATES = [...new Set([...HealthStateSchema.options, ...ClusterStateSchema.options])];

describe.each(LANGUAGES)('enum labels in %s', (lang) => {
  it('every role and state reads from the catalogue; Korean never shows the English word', () => {
    setupI18n(lang);
    expect(i18n.language).toBe(lang);
    for (const role of NODE_ROLES) {
      expect(roleLabel(role)).toBe(catalogues[lang].role[role]);
      if (lang === 'ko') expect(roleLabel(role)).not.toBe(catalogues.en.role[role]);
    }
    for (const state of STATES) {
      expect(stateLabel(state)).toBe(catalogues[lang].state[state]);
      if (lang === 'ko') expect(stateLabel(state)).not.toBe(catalogues.en.state[state]);
    }
    const channelTypes = AlertChannelSchema.options.map((o) => o.shape.type.value);
    for (const type of channelTypes) expect(channelTypeLabel(type)).toBe(catalogues[lang].channelType[type]);
    expect(containerStateLabel('running')).toBe(catalogues[lang].containerState.running);
    expect(containerStateLabel('a-state-docker-adds-later')).toBe('a-state-docker-adds-later');
  });

  it('the table shows each role and state in the language', () => {
    setupI18n(lang);
    const nodes = NODE_ROLES.map((role, i) => nodeFixture(`r-${i}`, 'healthy', { role }));
    useClusterStore.setState(loadedStoreFixture(nodes));
    const sizes = { clientHeight: 600, clientWidth: 1200, offsetHeight: 600, offsetWidth: 1200 };
    for (const [prop, value] of Object.entries(sizes)) Object.defineProperty(HTMLElement.prototype, prop, { configurable: true, get: () => value });
    render(<NodeTable rows={nodes.map((n) => n.id)} />);
    for (const prop of Object.keys(sizes)) delete (HTMLElement.prototype as unknown as Record<string, unknown>)[prop];
    NODE_ROLES.forEach((role, i) => {
      const row = document.querySelector(`[data-node-id="r-${i}"]`)!;
      expect(row.querySelector('.c-role')!.textContent).toBe(catalogues[lang].role[role]);
      expect(row.querySelector('.c-state')!.textContent!.trim()).toBe(catalogues[lang].state.healthy);
    });
  });
});
