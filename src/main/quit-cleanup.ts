/** The little of Electron's app the quit sequence uses. */
export interface QuittingApp {
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  exit(code: number): void;
}

export interface QuitCleanupOptions {
  /** Upper bound for the whole cleanup; quitting never hangs on a stuck step. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

/**
 * Electron does not await async `will-quit` listeners, so the process used to end mid-cleanup (lock
 * and socket left behind). Here the first `before-quit` is held back, the steps run in order (each
 * failure logged, the rest still run) within a time bound, and then the app exits.
 */
export function installQuitCleanup(app: QuittingApp, steps: Array<[name: string, step: () => unknown]>, options: QuitCleanupOptions = {}): void {
  const { timeoutMs = 5000, log = (line) => console.error(line) } = options;
  let state: 'running' | 'idle' | 'done' = 'idle';
  const runSteps = async () => {
    for (const [name, step] of steps) {
      try {
        await step();
      } catch (error) {
        log(`quit: ${name} failed: ${(error as Error)?.message ?? error}`);
      }
    }
  };
  app.on('before-quit', (event) => {
    if (state === 'done') return;
    event.preventDefault();
    if (state === 'running') return;
    state = 'running';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        log(`quit: cleanup took over ${timeoutMs} ms; exiting anyway`);
        resolve();
      }, timeoutMs);
    });
    void Promise.race([runSteps(), timeout]).then(() => {
      clearTimeout(timer);
      state = 'done';
      app.exit(0);
    });
  });
}
