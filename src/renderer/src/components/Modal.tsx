import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

/**
 * The one dialog frame: keeps focus inside while open and gives it back to the opener on close;
 * Escape closes from anywhere; a click on the backdrop closes only while nothing has been typed.
 */
export function Modal({ onClose, label, children }: { onClose(): void; label?: string; children: ReactNode }) {
  const { t } = useTranslation();
  const frame = useRef<HTMLDivElement>(null);
  const typed = useRef(false);
  const pressedOnBackdrop = useRef(false);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const focusables = () => {
      const all = [...(frame.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])];
      const shown = all.filter((el) => el.getClientRects().length > 0); // skips the insides of closed <details>
      return shown.length > 0 ? shown : all;
    };
    // Named by its heading, whichever dialog it holds (set once, when it opens).
    const heading = frame.current?.querySelector('h2');
    if (heading && !label) {
      heading.id ||= `dialog-title-${Math.random().toString(36).slice(2)}`;
      frame.current?.setAttribute('aria-labelledby', heading.id);
    }
    // Focus the first field in view that takes input, else the frame itself (Tab then enters it).
    const field = focusables().find((el) => el.matches('input, select, textarea') && el.getClientRects().length > 0);
    field?.focus();
    if (!frame.current?.contains(document.activeElement)) frame.current?.focus();

    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        closeRef.current();
        return;
      }
      if (event.key !== 'Tab') return;
      const items = focusables();
      if (items.length === 0) return event.preventDefault();
      const index = items.indexOf(document.activeElement as HTMLElement);
      const next = event.shiftKey ? (index <= 0 ? items.length - 1 : index - 1) : index === items.length - 1 || index < 0 ? 0 : index + 1;
      event.preventDefault();
      items[next].focus();
    };
    // Focus that leaves the dialog (a click on the page behind, a programmatic focus) is brought back.
    const onFocusIn = (event: FocusEvent) => {
      if (frame.current && event.target instanceof Node && !frame.current.contains(event.target)) (focusables()[0] ?? frame.current).focus();
    };
    document.addEventListener('keydown', onKeyDown, true);
    document.addEventListener('focusin', onFocusIn);
    return () => {
      document.removeEventListener('keydown', onKeyDown, true);
      document.removeEventListener('focusin', onFocusIn);
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <div
      className="dialog"
      data-testid="modal-backdrop"
      onMouseDown={(e) => (pressedOnBackdrop.current = e.target === e.currentTarget)}
      onClick={(e) => {
        if (e.target === e.currentTarget && pressedOnBackdrop.current && !typed.current) onClose();
      }}
    >
      <div ref={frame} className="dialog-frame" role="dialog" aria-modal="true" aria-label={label ?? t('modal.label')} tabIndex={-1} onInput={() => (typed.current = true)} onChange={() => (typed.current = true)}>
        {children}
      </div>
    </div>
  );
}
