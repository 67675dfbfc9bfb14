import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Node } from '../../../shared/schemas/node';
import { NODE_ROLES } from '../../../shared/schemas/node';
import { ApiError } from '../../../shared/bridge-client';
import { useClusterStore } from '../store/cluster-store';
import { FormField } from './FormField';
import { EMPTY_FORM, errorsByField, formFromNode, NEW_PROBE, nodeInputFromForm, validateNodeForm, type FormProbe, type NodeFormValues } from './node-form-model';

/** Add or edit a node, validated with the shared schema as you type and on submit. */
export function NodeForm({ node, enableDocker = false, onClose }: { node?: Node; enableDocker?: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const api = useClusterStore((s) => s.api)!;
  const select = useClusterStore((s) => s.select);
  const [values, setValues] = useState<NodeFormValues>(() => {
    const start = node ? formFromNode(node) : EMPTY_FORM;
    return enableDocker ? { ...start, docker_enabled: true } : start;
  });
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
  const updateProbe = (index: number, change: Partial<FormProbe>) => update('probes', values.probes.map((p, i) => (i === index ? { ...p, ...change } : p)));

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
        const byField = errorsByField(error.payload.details.map((d) => ({ ...d, field: d.field.replace(/^patch\./, '') })));
        setServerErrors(byField);
        // Said once: beside its field when the error names one, else here.
        setSubmitError(Object.keys(byField).length > 0 ? null : error.message);
      } else setSubmitError((error as Error).message);
    } finally {
      setSaving(false);
    }
  };

  const field = (name: keyof NodeFormValues, label: string, input: ReactNode, hint?: string) => (
    <FormField inputId={`f-${name}`} errorId={`e-${name}`} hintId={`h-${name}`} label={label} error={visible(name)} hint={hint}>{input}</FormField>
  );
  const text = (name: keyof NodeFormValues, props: Record<string, unknown> = {}) => (
    <input id={`f-${name}`} value={values[name] as string} onChange={(e) => update(name, e.target.value)} aria-invalid={Boolean(visible(name))} aria-describedby={visible(name) ? `e-${name}` : undefined} {...props} />
  );
  const title = node ? t('form.editTitle', { id: node.id }) : t('form.addTitle');

  return (
    <form className="dialog-body node-form" onSubmit={submit} noValidate aria-label={title}>
      <h2>{title}</h2>
      <div className="grid2">
        {field('id', t('form.id'), text('id', { disabled: Boolean(node), placeholder: t('form.idPlaceholder') }))}
        {field('hostname', t('form.hostname'), text('hostname'))}
        {field('tailscale_ip', t('form.address'), text('tailscale_ip', { placeholder: t('form.addressPlaceholder') }), t('form.addressHint'))}
        {field('role', t('form.role'), (
          <select id="f-role" value={values.role} onChange={(e) => update('role', e.target.value)}>
            {NODE_ROLES.map((r) => <option key={r} value={r}>{t(`role.${r}`)}</option>)}
          </select>
        ))}
        {field('cpu_cores', t('form.cpuCores'), text('cpu_cores', { inputMode: 'numeric', placeholder: t('form.optional') }), t('form.sizeHint'))}
        {field('memory_gb', t('form.memory'), text('memory_gb', { inputMode: 'decimal', placeholder: t('form.optional') }))}
        {field('tags', t('form.tags'), text('tags', { placeholder: t('form.tagsPlaceholder') }))}
        {field('description', t('form.description'), text('description'))}
        {field('ssh_user', t('form.sshUser'), text('ssh_user'))}
        {field('ssh_port', t('form.sshPort'), text('ssh_port', { inputMode: 'numeric', placeholder: '22' }))}
        {field('ssh_key_path', t('form.sshKey'), text('ssh_key_path', { placeholder: t('form.sshKeyPlaceholder') }))}
      </div>
      <fieldset className="docker-fields" data-testid="docker-fields">
        <legend>{t('form.docker')}</legend>
        <label className="toggle">
          <input type="checkbox" checked={values.docker_enabled} onChange={(e) => update('docker_enabled', e.target.checked)} /> {t('form.dockerEnabled')}
        </label>
        {values.docker_enabled && (
          <div className="grid2">
            {field('docker_via', t('form.dockerVia'), (
              <select id="f-docker_via" value={values.docker_via} onChange={(e) => update('docker_via', e.target.value)}>
                <option value="ssh">{t('form.dockerVias.ssh')}</option>
                <option value="local">{t('form.dockerVias.local')}</option>
              </select>
            ))}
            {field('docker_host', t('form.dockerHost'), text('docker_host', { placeholder: t('form.dockerHostPlaceholder') }))}
            {field('docker_swarm_node', t('form.dockerSwarmNode'), text('docker_swarm_node', { placeholder: t('form.dockerSwarmNodePlaceholder') }), t('form.dockerHint'))}
          </div>
        )}
      </fieldset>
      <fieldset className={`probes${visible('probes') ? ' invalid' : ''}`}>
        <legend>{t('form.probes')}</legend>
        {values.probes.map((probe, index) => {
          const n = index + 1;
          return (
            <div className="probe-row" key={index}>
              <select aria-label={t('form.probeType', { n })} value={probe.type} onChange={(e) => updateProbe(index, { type: e.target.value })}>
                <option value="tcp">{t('form.probeTypes.tcp')}</option>
                <option value="http">{t('form.probeTypes.http')}</option>
                <option value="ssh">{t('form.probeTypes.ssh')}</option>
              </select>
              {probe.type === 'http' && (
                <select aria-label={t('form.probeScheme', { n })} value={probe.scheme} onChange={(e) => updateProbe(index, { scheme: e.target.value })}>
                  <option value="http">{t('form.schemes.http')}</option>
                  <option value="https">{t('form.schemes.https')}</option>
                </select>
              )}
              <input aria-label={t('form.probePort', { n })} value={probe.port} placeholder={t('form.portPlaceholder')} onChange={(e) => updateProbe(index, { port: e.target.value })} />
              {probe.type === 'http' && <input aria-label={t('form.probePath', { n })} value={probe.path} placeholder={t('form.pathPlaceholder')} onChange={(e) => updateProbe(index, { path: e.target.value })} />}
              {probe.type === 'http' && (
                <input aria-label={t('form.probeExpect', { n })} value={probe.expect} placeholder={t('form.expectPlaceholder')} title={t('form.expectHint')} onChange={(e) => updateProbe(index, { expect: e.target.value })} />
              )}
              <button type="button" onClick={() => update('probes', values.probes.filter((_, i) => i !== index))}>{t('form.removeProbe')}</button>
            </div>
          );
        })}
        <button type="button" onClick={() => update('probes', [...values.probes, NEW_PROBE])}>{t('form.addProbe')}</button>
        {visible('probes') && <p className="error" role="alert">{t('form.fieldError', { field: t('form.probesField'), message: visible('probes') })}</p>}
      </fieldset>
      {submitError && <p className="error" role="alert">{submitError}</p>}
      <div className="buttons">
        <button type="button" onClick={onClose}>{t('common.cancel')}</button>
        <button type="submit" className="primary" disabled={saving}>{saving ? t('form.saving') : node ? t('common.save') : t('form.add')}</button>
      </div>
    </form>
  );
}
