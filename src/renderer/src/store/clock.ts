import { useEffect } from 'react';
import { create } from 'zustand';

/**
 * One shared one-second clock for relative times ("12 s ago"). Only the components that show a time
 * subscribe, so a tick re-renders a few cells (the rows in view), never the whole table.
 */
export const useClock = create<{ now: number }>(() => ({ now: Date.now() }));

let subscribers = 0;
let timer: ReturnType<typeof setInterval> | null = null;

/** The current time, updated every second while at least one component uses it. */
export function useNow(): number {
  useEffect(() => {
    if (subscribers++ === 0) {
      useClock.setState({ now: Date.now() });
      timer = setInterval(() => useClock.setState({ now: Date.now() }), 1000);
    }
    return () => {
      if (--subscribers === 0 && timer) {
        clearInterval(timer);
        timer = null;
      }
    };
  }, []);
  return useClock((s) => s.now);
}
