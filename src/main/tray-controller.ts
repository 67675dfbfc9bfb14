import type { ClusterStatus } from '../shared/schemas/health';
import { trayPresentation, type MenuSpec, type TrayAction, type TrayColour, type TrayPresentation, type TrayText, type TrayView } from './tray-presentation';
import { createMainI18n } from './main-i18n';

/** The little that the controller needs of a tray; Electron's Tray is adapted to it in tray.ts. */
export interface TrayHandle {
  setIcon(colour: TrayColour): void;
  setToolTip(text: string): void;
  setMenu(menu: MenuSpec[], onAction: (action: TrayAction) => void): void;
  onClick(listener: () => void): void;
  destroy(): void;
}

/**
 * A left click on the icon opens the window on Windows and Linux (KDE, and other StatusNotifier
 * hosts that report clicks); on macOS a click opens the menu, as users expect there.
 */
export const clickOpensWindow = (platform: NodeJS.Platform): boolean => platform !== 'darwin';

export type TrayFactory = () => TrayHandle;

/**
 * Keeps the tray in step with the cluster: updates are debounced (a sweep emits several) and only
 * what changed is applied. The factory is injected, so this runs in plain Node under test.
 */
export class TrayController {
  readonly #tray: TrayHandle;
  #pending: ClusterStatus | null = null;
  #last: ClusterStatus | null = null;
  #view: TrayView = {};
  #timer: ReturnType<typeof setTimeout> | null = null;
  #shown: TrayPresentation | null = null;

  constructor(
    factory: TrayFactory,
    private readonly onAction: (action: TrayAction) => void,
    private readonly debounceMs = 250,
    platform: NodeJS.Platform = process.platform,
    /** The tray's language (the OS's, from main-i18n). */
    private readonly text: TrayText = createMainI18n('en'),
  ) {
    this.#tray = factory();
    if (clickOpensWindow(platform)) this.#tray.onClick(() => this.onAction({ kind: 'open-window' }));
    this.#apply(trayPresentation(null, this.text));
  }

  update(status: ClusterStatus): void {
    this.#pending = status;
    if (this.#timer) return;
    this.#timer = setTimeout(() => this.flush(), this.debounceMs);
  }

  /** Applies the latest status now (also used by tests and on quit). */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#pending) {
      this.#last = this.#pending;
      this.#apply(trayPresentation(this.#last, this.text, this.#view));
    }
    this.#pending = null;
  }

  /** Changes how the status is shown (a watched service unreachable, what the token may do), at once. */
  setView(view: TrayView): void {
    this.#view = { ...this.#view, ...view };
    if (this.#pending) this.#last = this.#pending;
    this.#pending = null;
    this.#apply(trayPresentation(this.#last, this.text, this.#view));
  }

  /** What the tray shows now; exposed to the end-to-end tests through a test-only hook. */
  get shown(): TrayPresentation | null {
    return this.#shown;
  }

  destroy(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#tray.destroy();
  }

  #apply(next: TrayPresentation): void {
    const previous = this.#shown;
    if (!previous || previous.colour !== next.colour) this.#tray.setIcon(next.colour);
    if (!previous || previous.tooltip !== next.tooltip) this.#tray.setToolTip(next.tooltip);
    if (!previous || JSON.stringify(previous.menu) !== JSON.stringify(next.menu)) this.#tray.setMenu(next.menu, this.onAction);
    this.#shown = next;
  }
}
