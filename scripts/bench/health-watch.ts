import type { Pool } from 'undici';

/** GET /health every 20 ms on its own connection until stopped: the slowest answer, and how many were asked. */
export function watchHealth(health: Pool): { stop(): Promise<{ max_ms: number; checks: number }> } {
  let running = true;
  let max = 0;
  let checks = 0;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      await (await health.request({ path: '/health', method: 'GET' })).body.dump();
      max = Math.max(max, performance.now() - started);
      checks++;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { max_ms: max, checks };
    },
  };
}
