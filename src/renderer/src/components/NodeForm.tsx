import { useState, type FormEvent, type ReactNode } from 'react';
import type { Node } from '../../../shared/schemas/node';
import { NODE_ROLES } from '../../../shared/schemas/node';
import { ApiError } from '../api/web-bridge-client';
import { useClusterStore } from '../store/cluster-store';
import { EMPTY_FORM, errorsByField, formFromNode, nodeInputFromForm, validateNodeForm, type NodeFormValues } from './node-form-model';

/** Add or edit a node, validated with the shared schema as you type and on submit. */
export function NodeForm({ node, onClose }: { node?: Node; onClose(): void }) {
  const api = useClusterStore((s) => s.api)!;
  const select = useClusterStore((s) => s.select);
  const [values, setValues] = useState<NodeFormValues>(node ? formFromNode(node) : EMPTY_FORM);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const clientErrors = validateNodeForm(values, node);
  const errors = { ...clientErrors, ...serverErrors };
  const visible = (field: string) => (touched.has(field) || touched.has('*') ? errors[field] : undefined);

  const update = (field: keyof NodeFormValues, value: NodeFormValues[keyof NodeFormValues]) => {
    setValues((v) => ({ ...v, [field]: value }));
    setTouched((t) => new Set(t).add(field));
    setServerErrors(({ [field]: _cleared, ...rest }) => rest);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(new Set(['*']));
    if (Object.keys(clientErrors).length > 0) return;
    setSaving(true);
    setSubmitError(null);
    try {
      const input = nodeInputFromForm(values, node);
      if (node) {
        const { id: _id, ...patch } = input;
        await api.invoke('nodes:update', { id: node.id, patch: patch as never });
      } else await api.invoke('nodes:create', input);
      select(input.id);
      onClose();
    } catch (error) {
      if (error instanceof ApiError) {
        setServerErrors(errorsByField(error.payload.details.map((d) => ({ ...d, field: d.field.replace(/^patch\./, '') }))));
        setSubmitError(error.message);
      } else setSubmitError((error as Error).message);
    } finally {
      setSaving(false);
    }
  };

  const field = (name: keyof NodeFormValues, label: string, input: ReactNode) => (
    <div className={`field${visible(name) ? ' invalid' : ''}`}>
      <label htmlFor={`f-${name}`}>{label}</label>
      {input}
      {visible(name) && <p className="error" id={`e-${name}`} role="alert">{label}: {visible(name)}</p>}
    </div>
  );
  const text = (name: keyof NodeFormValues, props: Record<string, unknown> = {}) => (
    <input id={`f-${name}`} value={values[name] as string} onChange={(e) => update(name, e.target.value)} aria-invalid={Boolean(visible(name))} aria-describedby={visible(name) ? `e-${name}` : undefined} {...props} />
  );

  return (
    <form className="dialog-body node-form" onSubmit={submit} noValidate aria-label={node ? `Edit ${node.id}` : 'Add node'}>
      <h2>{node ? `Edit ${node.id}` : 'Add node'}</h2>
      <div className="grid2">
        {field('id', 'ID', text('id', { disabled: Boolean(node), placeholder: 'node-18' }))}
        {field('hostname', 'Hostname', text('hostname'))}
        {field('tailscale_ip', 'Tailscale IP', text('tailscale_ip', { placeholder: '100.x.y.z' }))}
        {field('role', 'Role', (
          <select id="f-role" value={values.role} onChange={(e) => update('role', e.target.value)}>
            {NODE_ROLES.map((r) => <option key={r}>{r}</option>)}
          </select>
        ))}
        {field('cpu_cores', 'CPU cores', text('cpu_cores', { inputMode: 'numeric' }))}
        {field('memory_gb', 'Memory (GB)', text('memory_gb', { inputMode: 'decimal' }))}
        {field('tags', 'Tags', text('tags', { placeholder: 'production, gpu' }))}
        {field('description', 'Description', text('description'))}
        {field('ssh_user', 'SSH user', text('ssh_user'))}
        {field('ssh_port', 'SSH port', text('ssh_port', { inputMode: 'numeric', placeholder: '22' }))}
        {field('ssh_key_path', 'SSH key', text('ssh_key_path', { placeholder: '~/.ssh/id_ed25519' }))}
      </div>
      <fieldset className={`probes${visible('probes') ? ' invalid' : ''}`}>
        <legend>Probes (none: TCP port 22)</legend>
        {values.probes.map((probe, index) => (
          <div className="probe-row" key={index}>
            <select aria-label={`Probe ${index + 1} type`} value={probe.type} onChange={(e) => update('probes', values.probes.map((p, i) => (i === index ? { ...p, type: e.target.value } : p)))}>
              <option>tcp</option>
              <option>http</option>
              <option>ssh</option>
            </select>
            <input aria-label={`Probe ${index + 1} port`} value={probe.port} placeholder="port" onChange={(e) => update('probes', values.probes.map((p, i) => (i === index ? { ...p, port: e.target.value } : p)))} />
            {probe.type === 'http' && <input aria-label={`Probe ${index + 1} path`} value={probe.path} placeholder="/health" onChange={(e) => update('probes', values.probes.map((p, i) => (i === index ? { ...p, path: e.target.value } : p)))} />}
            <button type="button" onClick={() => update('probes', values.probes.filter((_, i) => i !== index))}>Remove</button>
          </div>
        ))}
        <button type="button" onClick={() => update('probes', [...values.probes, { type: 'tcp', port: '22', path: '' }])}>Add probe</button>
        {visible('probes') && <p className="error" role="alert">Probes: {visible('probes')}</p>}
      </fieldset>
      {submitError && <p className="error" role="alert">{submitError}</p>}
      <div className="buttons">
        <button type="button" onClick={onClose}>Cancel</button>
        <button type="submit" className="primary" disabled={saving}>{saving ? 'Saving…' : node ? 'Save' : 'Add node'}</button>
      </div>
    </form>
  );
}
