import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NODE_ROLES, type NodeRole } from '../../../shared/schemas/node';
import type { TailscaleImportReport } from '../../../shared/schemas/tailscale';
import { useClusterStore } from '../store/cluster-store';
import { useGate } from '../store/scope-gate';

/**
 * `tailscale status --json` from a file, pasted, or read from the local CLI; the options the API has;
 * a preview with each machine's role, tags and online state; then what was applied.
 */
export function TailscaleImport() {
  const { t } = useTranslation();
  const api = useClusterStore((s) => s.api)!;
  const gate = useGate();
  const [text, setText] = useState('');
  const [fromCli, setFromCli] = useState(false);
  const [options, setOptions] = useState({ include_self: false, include_expired: false, include_non_linux: false, default_role: 'worker' as NodeRole });
  const [report, setReport] = useState<TailscaleImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async (dryRun: boolean, cli = fromCli) => {
    setError(null);
    let document: unknown;
    if (!cli) {
      try {
        document = JSON.parse(text);
      } catch (e) {
        return setError(t('import.notJson', { reason: (e as Error).message }));
      }
    }
    try {
      setReport(await api.invoke('tailscale:import', { document, options: { ...options, dry_run: dryRun } }));
      setFromCli(cli);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const edit = (value: string) => {
    setText(value);
    setReport(null);
    setFromCli(false);
  };
  const LABELS = { include_self: 'tailscale.includeSelf', include_expired: 'tailscale.includeExpired', include_non_linux: 'tailscale.includeNonLinux' } as const;
  const option = (name: keyof typeof LABELS) => (
    <label className="toggle">
      <input type="checkbox" checked={options[name]} onChange={(e) => (setOptions({ ...options, [name]: e.target.checked }), setReport(null))} /> {t(LABELS[name])}
    </label>
  );

  return (
    <div className="tailscale-import">
      <label>
        {t('tailscale.file')} <input type="file" accept="application/json,.json" onChange={async (e) => edit((await e.target.files?.[0]?.text()) ?? '')} />
      </label>
      <label>
        {t('tailscale.paste')} <code>{t('tailscale.command')}</code>
        <textarea rows={8} value={text} onChange={(e) => edit(e.target.value)} aria-label={t('tailscale.contents')} />
      </label>
      <fieldset className="options">
        <legend>{t('tailscale.options')}</legend>
        {option('include_self')}
        {option('include_expired')}
        {option('include_non_linux')}
        <label>
          {t('tailscale.defaultRole')}{' '}
          <select value={options.default_role} onChange={(e) => (setOptions({ ...options, default_role: e.target.value as NodeRole }), setReport(null))}>
            {NODE_ROLES.map((r) => <option key={r} value={r}>{t(`role.${r}`)}</option>)}
          </select>
        </label>
      </fieldset>
      {error && <p className="error" role="alert">{error}</p>}
      {report && <TailscaleReport report={report} />}
      <div className="buttons">
        <button type="button" onClick={() => run(true, true)}>{t('tailscale.readCli')}</button>
        <button type="button" onClick={() => run(true, false)} disabled={!text}>{t('import.preview')}</button>
        <button type="button" className="primary" {...gate('tailscale:import', !report || report.applied || report.added.length + report.updated.length === 0)} onClick={() => run(false)}>
          {t('import.apply')}
        </button>
      </div>
    </div>
  );
}

const SKIP_REASON = { self: 'tailscale.skip.self', os: 'tailscale.skip.os', expired: 'tailscale.skip.expired', no_ip: 'tailscale.skip.noIp' } as const;

export function TailscaleReport({ report }: { report: TailscaleImportReport }) {
  const { t } = useTranslation();
  const facts = (m: { role: NodeRole; tags: string[]; online: boolean }) =>
    t('tailscale.facts', { role: t(`role.${m.role}`), tags: m.tags.join(', ') || t('tailscale.noTags'), online: m.online ? t('tailscale.online') : t('tailscale.offline') });
  const counts = { added: report.added.length, updated: report.updated.length, unchanged: report.unchanged.length, skipped: report.skipped.length };
  return (
    <div className="report" data-testid="tailscale-report" role="status">
      <p>
        <strong>{report.applied ? t('import.applied') : t('import.previewHeading')}</strong> {t('tailscale.counts', counts)}
      </p>
      <ul className="report-list">
        {report.added.map((a) => (
          <li key={a.id} data-outcome="added">{t('tailscale.addedItem', { id: a.id, address: a.tailscale_ip })} <span className="muted">{facts(a)}</span></li>
        ))}
        {report.updated.map((u) => (
          <li key={u.id} data-outcome="updated">{t('import.updatedItem', { id: u.id, fields: u.changes.join(', ') })} <span className="muted">{facts(u)}</span></li>
        ))}
        {report.skipped.map((s) => (
          <li key={s.hostname} data-outcome="skipped" className="muted">{t('tailscale.skippedItem', { host: s.hostname, reason: t(SKIP_REASON[s.reason]) })}</li>
        ))}
      </ul>
    </div>
  );
}
