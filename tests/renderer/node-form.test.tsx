// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { NodeForm } from '../../src/renderer/src/components/NodeForm';
import { useClusterStore } from '../../src/renderer/src/store/cluster-store';
import { ApiError } from '../../src/shared/bridge-client';
import { EMPTY_FORM, nodeInputFromForm, validateNodeForm } from '../../src/renderer/src/components/node-form-model';
import { fakeApi } from './fake-api';
import { setupI18n } from '../../src/renderer/src/i18n/setup-i18n';

setupI18n('en');
import { nodeFixture } from './fixtures';

afterEach(cleanup);

const fill = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

function renderForm(answers: Parameters<typeof fakeApi>[0], node?: ReturnType<typeof nodeFixture>) {
  const fake = fakeApi(answers);
  useClusterStore.setState({ api: fake.api });
  let closed = false;
  render(<NodeForm node={node} onClose={() => (closed = true)} />);
  return { ...fake, closed: () => closed };
}

describe('node form model', () => {
  it('turns form strings into a node input and validates with the shared schema', () => {
    const values = { ...EMPTY_FORM, id: 'n1', hostname: 'h', tailscale_ip: '10.0.0.1', cpu_cores: '4', memory_gb: '7.5', tags: 'a, b', ssh_port: '2222', probes: [{ type: 'http', port: '80', path: '', scheme: 'http', expect: '' }] };
    expect(nodeInputFromForm(values)).toMatchObject({ cpu_cores: 4, memory_gb: 7.5, tags: ['a', 'b'], ssh: { port: 2222 }, probes: [{ type: 'http', port: 80, path: '/health' }] });
    expect(validateNodeForm(values)).toEqual({});
    expect(validateNodeForm({ ...values, cpu_cores: 'four', ssh_port: '0', probes: [{ type: 'tcp', port: '99999', path: '', scheme: 'http', expect: '' }] })).toMatchObject({
      cpu_cores: 'must be a whole number',
      ssh_port: expect.stringContaining('port'),
      probes: expect.stringContaining('probes.0.port'),
    });
  });

  it('takes a MagicDNS name, leaves the size empty, and sets the HTTP scheme and expected status (item 16)', () => {
    const values = { ...EMPTY_FORM, id: 'n2', hostname: 'h', tailscale_ip: 'gpu-01.tail1234.ts.net', probes: [{ type: 'http', port: '8443', path: '/ready', scheme: 'https', expect: '200-299' }, { type: 'http', port: '80', path: '', scheme: 'http', expect: '204' }] };
    expect(validateNodeForm(values)).toEqual({});
    const input = nodeInputFromForm(values);
    expect(input).not.toHaveProperty('cpu_cores', expect.anything());
    expect(input.probes).toEqual([
      { type: 'http', port: 8443, path: '/ready', scheme: 'https', expect_status: [200, 299] },
      { type: 'http', port: 80, path: '/health', scheme: 'http', expect_status: 204 },
    ]);
    expect(validateNodeForm({ ...values, probes: [{ ...values.probes[0], expect: '700' }] })).toHaveProperty('probes');
  });

  it('words validation errors in the UI\'s language', () => {
    setupI18n('ko');
    try {
      expect(validateNodeForm({ ...EMPTY_FORM, id: 'n1', hostname: 'h', tailscale_ip: '300.1.2.3' })).toEqual({ tailscale_ip: 'IPv4 또는 IPv6 주소여야 합니다' });
      expect(validateNodeForm({ ...EMPTY_FORM, hostname: 'h', tailscale_ip: '10.0.0.1' })).toEqual({ id: '필수 항목입니다' });
    } finally {
      setupI18n('en');
    }
  });
});

describe('NodeForm', () => {
  it('has a labelled field for every node property', () => {
    renderForm({});
    for (const label of ['ID', 'Hostname', 'Tailscale IP', 'Role', 'CPU cores', 'Memory (GB)', 'Tags', 'Description', 'SSH user', 'SSH port', 'SSH key']) {
      expect(screen.getByLabelText(label)).toBeTruthy();
    }
  });

  it('shows an inline error naming the field as you type, and blocks submit', async () => {
    const { calls } = renderForm({ 'nodes:create': (n) => n });
    fill('Tailscale IP', '300.1.2.3');
    expect(screen.getByRole('alert').textContent).toBe('Tailscale IP: must be an IPv4 or IPv6 address');
    expect(screen.getByLabelText('Tailscale IP').getAttribute('aria-invalid')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Add node' }));
    expect(screen.getAllByRole('alert').map((a) => a.textContent)).toEqual(expect.arrayContaining(['ID: is required', 'Hostname: is required']));
    expect(calls).toEqual([]);
  });

  it('submits a valid node and shows server-side field errors next to their field', async () => {
    const { calls, closed } = renderForm({
      'nodes:create': (input) => {
        if ((input as { id: string }).id === 'taken') throw new ApiError({ error: 'conflict', message: 'Node "taken" already exists', details: [{ field: 'id', message: 'already exists' }] });
        return input;
      },
    });
    fill('ID', 'taken');
    fill('Hostname', 'box');
    fill('Tailscale IP', '127.0.0.5');
    fill('CPU cores', '8');
    fill('Memory (GB)', '16');
    fireEvent.click(screen.getByRole('button', { name: 'Add node' }));
    await waitFor(() => expect(screen.getAllByRole('alert').map((a) => a.textContent)).toContain('ID: already exists'));
    fill('ID', 'fresh');
    fireEvent.click(screen.getByRole('button', { name: 'Add node' }));
    await waitFor(() => expect(closed()).toBe(true));
    expect(calls.at(-1)).toMatchObject({ channel: 'nodes:create', arg: { id: 'fresh', hostname: 'box', tailscale_ip: '127.0.0.5', cpu_cores: 8, memory_gb: 16, role: 'worker' } });
  });

  it('edits an existing node with a patch and keeps the id fixed', async () => {
    const node = nodeFixture('n1', 'healthy', { tags: ['x'] });
    const { calls, closed } = renderForm({ 'nodes:update': (a) => a }, node);
    expect((screen.getByLabelText('ID') as HTMLInputElement).disabled).toBe(true);
    fill('Hostname', 'renamed');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(closed()).toBe(true));
    expect(calls[0]).toMatchObject({ channel: 'nodes:update', arg: { id: 'n1', patch: { hostname: 'renamed', tags: ['x'] } } });
    expect((calls[0].arg as { patch: object }).patch).not.toHaveProperty('id');
  });
});
