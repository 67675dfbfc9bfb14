import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** One labelled form field: its input, a hint while it is valid, and its error (named by its label) once shown. */
export function FormField({ inputId, errorId, hintId, label, error, hint, children }: { inputId: string; errorId: string; hintId?: string; label: string; error?: string; hint?: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      <label htmlFor={inputId}>{label}</label>
      {children}
      {hint && !error && <p className="hint muted" id={hintId}>{hint}</p>}
      {error && <p className="error" id={errorId} role="alert">{t('form.fieldError', { field: label, message: error })}</p>}
    </div>
  );
}
