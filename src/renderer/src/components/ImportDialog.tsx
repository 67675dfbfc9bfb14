import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportReport } from '../../../shared/schemas/seed-format';
import { useClusterStore } from '../store/cluster-store';
import { useGate } from '../store/scope-gate';
import { TailscaleImport } from './TailscaleImport';

/** Seed-format import with a report, by id and changed field, shown before anything is applied; and export. */
export function ImportDialog({ onClose, initialSource = 'file' }: { onClose(): void; initialSource?: 'file' | 'tailscale' }) {
  const { t } = useTranslation();
  const [source, setSource] = useState(initialSource);
  const api = useClusterStore((s) => s.api)!;
  const gate = useGate();
  const [text, setText] = useState('');
  const [report, setReport] = useState<ImportReport | null>(null);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const parse = (): unknown => {
    try {
      return JSON.parse(text);
    } catch (e) {
      setError(t('import.notJson', { reason: (e as Error).message }));
      return undefined;
    }
  };
  const run = async (dryRun: boolean) => {
    setError(null);
    const document = parse();
    if (document === undefined) return;
    try {
      setReport(await api.invoke('registry:import', { document, options: { dry_run: dryRun, skip_invalid: skipInvalid } }));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const exportFile = async () => {
    let document: unknown;
    try {
      document = await api.invoke('registry:export', {});
    } catch (e) {
      return setError((e as Error).message);
    }
    const blob = new Blob([JSON.stringify(document, null, 2)], { type: 'application/json' });
    const link = Object.assign(window.document.createElement('a'), { href: URL.createObjectURL(blob), download: 'nodes.json' });
    link.click();
    URL.revokeObjectURL(link.href);
  };
  const edit = (value: string) => {
    setText(value);
    setReport(null);
  };

  return (
    <div className="dialog-body">
      <h2>{t('import.title')}</h2>
      <div className="segmented" role="group" aria-label={t('import.source')}>
        <button aria-pressed={source === 'file'} onClick={() => setSource('file')}>{t('import.sourceFile')}</button>
        <button aria-pressed={source === 'tailscale'} onClick={() => setSource('tailscale')}>{t('import.sourceTailscale')}</button>
      </div>
      {source === 'tailscale' ? (
        <>
          <TailscaleImport />
          <div className="buttons"><button type="button" onClick={onClose}>{t('common.close')}</button></div>
        </>
      ) : (
        <>
          <p>{t('import.seedHint')} <code>{t('import.seedExample')}</code></p>
          <label>
            {t('import.file')} <input type="file" accept="application/json,.json" onChange={async (e) => edit((await e.target.files?.[0]?.text()) ?? '')} />
          </label>
          <label>
            {t('import.paste')}
            <textarea rows={8} value={text} onChange={(e) => edit(e.target.value)} aria-label={t('import.contents')} />
          </label>
          <label className="toggle"><input type="checkbox" checked={skipInvalid} onChange={(e) => setSkipInvalid(e.target.checked)} /> {t('import.skipInvalid')}</label>
          {error && <p className="error" role="alert">{error}</p>}
          {report && <SeedReport report={report} />}
          <div className="buttons">
            <button type="button" onClick={exportFile}>{t('import.export')}</button>
            <button type="button" onClick={onClose}>{t('common.close')}</button>
            <button type="button" onClick={() => run(true)} disabled={!text}>{t('import.preview')}</button>
            <button type="button" className="primary" {...gate('registry:import', !report || report.applied || (report.invalid.length > 0 && !skipInvalid) || report.added.length + report.updated.length === 0)} onClick={() => run(false)}>{t('import.apply')}</button>
          </div>
        </>
      )}
    </div>
  );
}

/** The preview (or, once applied, what was applied): ids per outcome, changed fields per updated node. */
export function SeedReport({ report }: { report: ImportReport }) {
  const { t } = useTranslation();
  const counts = { added: report.added.length, updated: report.updated.length, unchanged: report.unchanged.length, invalid: report.invalid.length };
  return (
    <div className="report" data-testid="import-report" role="status">
      <p>
        <strong>{report.applied ? t('import.applied') : t('import.previewHeading')}</strong> {t('import.counts', counts)}
      </p>
      <ul className="report-list">
        {report.added.map((id) => <li key={`a-${id}`} data-outcome="added">{t('import.addedItem', { id })}</li>)}
        {report.updated.map((id) => (
          <li key={`u-${id}`} data-outcome="updated">{t('import.updatedItem', { id, fields: (report.changed_fields?.[id] ?? []).join(', ') })}</li>
        ))}
        {report.unchanged.map((id) => <li key={`s-${id}`} data-outcome="unchanged" className="muted">{t('import.unchangedItem', { id })}</li>)}
        {report.invalid.map((i, k) => <li key={`i-${k}`} data-outcome="invalid" className="error">{t('import.invalidItem', { id: i.id, field: i.field, reason: i.reason })}</li>)}
      </ul>
    </div>
  );
}
