import type { Bounds } from './window-policy';

/** The little of a BrowserWindow whose bounds are tracked. */
export interface BoundsSource {
  on(event: 'move' | 'resize' | 'close' | 'hide', listener: () => void): unknown;
  isMinimized(): boolean;
  getBounds(): Bounds;
}

export interface BoundsTrackingOptions {
  debounceMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

/**
 * Saves the window's bounds. `moved`/`resized` fire on macOS and Windows only, so this listens to
 * `move`/`resize` (every platform, many per drag: debounced) and saves at once on `close` and `hide`.
 */
export function trackWindowBounds(window: BoundsSource, save: (bounds: Bounds) => void, options: BoundsTrackingOptions = {}): void {
  const { debounceMs = 500, setTimer = (fn, ms) => setTimeout(fn, ms), clearTimer = (t) => clearTimeout(t as ReturnType<typeof setTimeout>) } = options;
  let timer: unknown = null;
  const saveNow = () => {
    if (timer !== null) clearTimer(timer);
    timer = null;
    if (!window.isMinimized()) save(window.getBounds());
  };
  const saveSoon = () => {
    if (timer !== null) clearTimer(timer);
    timer = setTimer(saveNow, debounceMs);
  };
  window.on('move', saveSoon);
  window.on('resize', saveSoon);
  window.on('close', saveNow);
  window.on('hide', saveNow);
}
