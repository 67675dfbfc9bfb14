// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { WatchServicePanel } from '../../src/renderer/src/components/WatchServicePanel';
import { useClusterStore } from '../../src/renderer/src/store/cluster-store';
import { ApiError } from '../../src/shared/bridge-client';
import { fakeApi } from './fake-api';
import { setupI18n } from '../../src/renderer/src/i18n/setup-i18n';

setupI18n('en');
afterEach(cleanup);

const fill = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe('Settings → "Watch a service"', () => {
  it('names the field in words before asking the app, puts the app\'s refusal next to its field, and says it restarts', async () => {
    let answer: () => unknown = () => {
      throw new ApiError({ error: 'validation_error', message: 'Cannot watch', details: [{ field: 'token', message: 'the service refused this token (revoked, expired or mistyped)' }] });
    };
    const fake = fakeApi({ 'shell:watchService': () => answer() });
    useClusterStore.setState({ api: fake.api });
    render(<WatchServicePanel watching={null} />);
    fill('Service address', 'ftp://fleet');
    fill('Token', 'mco_x');
    fireEvent.click(screen.getByRole('button', { name: 'Watch this service' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Service address: must be an http:// or https:// address, like http://100.64.0.5:8000');
    expect(fake.calls).toHaveLength(0);

    fill('Service address', 'http://127.0.0.1:8000');
    fireEvent.click(screen.getByRole('button', { name: 'Watch this service' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Token: the service refused this token (revoked, expired or mistyped)'));
    expect(fake.calls.at(-1)).toEqual({ channel: 'shell:watchService', arg: { url: 'http://127.0.0.1:8000', token: 'mco_x' } });

    answer = () => ({ restarting: true, watching: 'http://127.0.0.1:8000' });
    fireEvent.click(screen.getByRole('button', { name: 'Watch this service' }));
    expect((await screen.findByRole('status')).textContent).toBe('Restarting in the new mode…');
  });

  it('while watching, offers the way back to local monitoring', async () => {
    const fake = fakeApi({ 'shell:watchService': () => ({ restarting: true, watching: null }) });
    useClusterStore.setState({ api: fake.api });
    render(<WatchServicePanel watching="http://127.0.0.1:8000" />);
    expect(screen.getByText('Watching http://127.0.0.1:8000')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Back to local monitoring' }));
    await waitFor(() => expect(fake.calls).toEqual([{ channel: 'shell:watchService', arg: { url: null } }]));
  });
});
