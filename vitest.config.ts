import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Network-heavy suites share 2 cores; keep parallelism modest so timing-based checks stay honest.
    maxWorkers: 2,
    reporters: ['default', './tests/summary-reporter.ts'],
  },
});
