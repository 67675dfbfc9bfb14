import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NODE_ROLES } from '../../../shared/schemas/node';
import { ApiError } from '../../../shared/bridge-client';
import { useClusterStore } from '../store/cluster-store';
import { FormField } from './FormField';
import { PlanView } from './PlanView';
import { planSummaryText } from '../i18n/plan-text';
import type { ServicePlan } from '../../../shared/schemas/workloads';
import { EMPTY_SERVICE_FORM, serviceErrorsByField, serviceSpecFromForm, validateServiceForm, type ServiceFormValues } from './service-form-model';

/** Deploy a service: validated with the shared service spec as you type and on submit. Swarm places it. */
export function ServiceDeployForm({ onClose, onDeployed }: { onClose(): void; onDeployed(name: string): void }) {
  const { t } = useTranslation();
  const api = useClusterStore((s) => s.api)!;
  const [values, setValues] = useState<ServiceFormValues>(EMPTY_SERVICE_FORM);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const clientErrors = validateServiceForm(values);
  const plan = useLivePlan(values, Object.keys(clientErrors).length === 0);
  const errors = { ...clientErrors, ...serverErrors };
  const visible = (field: string) => (touched.has(field) || touched.has('*') ? errors[field] : undefined);

  const update = <K extends keyof ServiceFormValues>(field: K, value: ServiceFormValues[K]) => {
    setValues((v) => ({ ...v, [field]: value }));
    setTouched((s) => new Set(s).add(field));
    setServerErrors(({ [field]: _cleared, ...rest }) => rest);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(new Set(['*']));
    if (Object.keys(clientErrors).length > 0) return;
    setSaving(true);
    setSubmitError(null);
    try {
      const spec = serviceSpecFromForm(values);
      await api.invoke('services:deploy', spec);
      onDeployed(spec.name);
      onClose();
    } catch (error) {
      if (error instanceof ApiError) {
        const byField = serviceErrorsByField(error.payload.details);
        const known = Object.fromEntries(Object.entries(byField).filter(([k]) => k in EMPTY_SERVICE_FORM));
        setServerErrors(known);
        setSubmitError(Object.keys(known).length > 0 ? null : error.message);
      } else setSubmitError((error as Error).message);
    } finally {
      setSaving(false);
    }
  };

  const field = (name: keyof ServiceFormValues, label: string, input: ReactNode, hint?: string) => (
    <FormField inputId={`s-${name}`} errorId={`se-${name}`} label={label} error={visible(name)} hint={hint}>{input}</FormField>
  );
  const text = (name: Exclude<keyof ServiceFormValues, 'roles'>, props: Record<string, unknown> = {}) => (
    <input id={`s-${name}`} value={values[name]} onChange={(e) => update(name, e.target.value)} aria-invalid={Boolean(visible(name))} aria-describedby={visible(name) ? `se-${name}` : undefined} {...props} />
  );
  const area = (name: 'env' | 'command', placeholder: string) => (
    <textarea id={`s-${name}`} rows={3} value={values[name]} placeholder={placeholder} onChange={(e) => update(name, e.target.value)} aria-invalid={Boolean(visible(name))} />
  );

  return (
    <form className="dialog-body service-form" onSubmit={submit} noValidate aria-label={t('services.deployTitle')}>
      <h2>{t('services.deployTitle')}</h2>
      <div className="grid2">
        {field('name', t('services.name'), text('name', { placeholder: 'web' }))}
        {field('image', t('services.image'), text('image', { placeholder: 'nginx:1.27' }))}
        {field('mode', t('services.mode'), (
          <select id="s-mode" value={values.mode} onChange={(e) => update('mode', e.target.value)}>
            {(['replicated', 'global', 'standalone'] as const).map((m) => <option key={m} value={m}>{t(`services.modes.${m}`)}</option>)}
          </select>
        ), t(`services.modeHints.${values.mode as 'replicated'}`))}
        {values.mode === 'replicated' ? field('replicas', t('services.replicas'), text('replicas', { inputMode: 'numeric' })) : <div />}
        {values.mode === 'replicated' && field('max_replicas_per_node', t('plan.maxPerNode'), text('max_replicas_per_node', { inputMode: 'numeric' }), t('plan.maxPerNodeHint'))}
        {values.mode === 'replicated' && <div />}
        {field('cpus', t('services.cpus'), text('cpus', { inputMode: 'decimal', placeholder: '1.5' }), t('services.reserveHint'))}
        {field('memory_mb', t('services.memory'), text('memory_mb', { inputMode: 'numeric', placeholder: '256' }))}
        <div className={`field${visible('roles') ? ' invalid' : ''}`}>
          <span className="label">{t('services.roles')}</span>
          <div className="checks">
            {NODE_ROLES.map((r) => (
              <label key={r} className="toggle">
                <input type="checkbox" checked={values.roles.includes(r)} onChange={(e) => update('roles', e.target.checked ? [...values.roles, r] : values.roles.filter((x) => x !== r))} /> {t(`role.${r}`)}
              </label>
            ))}
          </div>
          {visible('roles') && <p className="error" role="alert">{t('form.fieldError', { field: t('services.roles'), message: visible('roles') })}</p>}
        </div>
        {field('tags', t('services.tags'), text('tags', { placeholder: t('form.tagsPlaceholder') }), t('services.tagsHint'))}
        {field('ports', t('services.ports'), text('ports', { placeholder: '8080:80' }), t('services.portsHint'))}
        {field('env', t('services.env'), area('env', 'LOG_LEVEL=info'))}
        {field('command', t('services.command'), area('command', t('services.commandPlaceholder')), t('services.commandHint'))}
      </div>
      {plan.state === 'checking' && <p className="muted" data-testid="plan-checking">{t('plan.checking')}</p>}
      {plan.state === 'ready' && <PlanView plan={plan.plan} />}
      {plan.state === 'failed' && <p className="muted" data-testid="plan-unavailable">{t('plan.unavailable', { reason: plan.reason })}</p>}
      {submitError && <p className="error" role="alert">{submitError}</p>}
      <div className="buttons">
        {/* The plan's count stays in view beside Deploy while the fields above scroll. */}
        {plan.state === 'ready' && <span className={`plan-brief${plan.plan.fits < plan.plan.wanted ? ' plan-short' : ''}`} data-testid="plan-brief">{planSummaryText(plan.plan)}</span>}
        <button type="button" onClick={onClose}>{t('common.cancel')}</button>
        <button type="submit" disabled={saving}>{saving ? t('services.deploying') : t('services.deploy')}</button>
      </div>
    </form>
  );
}

type LivePlan = { state: 'none' } | { state: 'checking' } | { state: 'ready'; plan: ServicePlan } | { state: 'failed'; reason: string };
/** Time after the last keystroke before the plan is asked for again. */
const PLAN_DEBOUNCE_MS = 400;

/** The plan of the form's spec, asked again as fields change (debounced); none for a standalone container or an invalid spec. */
function useLivePlan(values: ServiceFormValues, valid: boolean): LivePlan {
  const api = useClusterStore((s) => s.api)!;
  const [plan, setPlan] = useState<LivePlan>({ state: 'none' });
  const key = valid && values.mode !== 'standalone' ? JSON.stringify(serviceSpecFromForm(values)) : null;
  useEffect(() => {
    if (key === null) {
      setPlan({ state: 'none' });
      return;
    }
    let current = true;
    setPlan((p) => (p.state === 'ready' ? p : { state: 'checking' }));
    const timer = setTimeout(() => {
      api.invoke('services:plan', JSON.parse(key)).then(
        (answer) => current && setPlan({ state: 'ready', plan: answer }),
        (error: Error) => current && setPlan({ state: 'failed', reason: error.message }),
      );
    }, PLAN_DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, key]);
  return plan;
}
