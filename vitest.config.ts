// Three projects so that each test file gets only what it needs: unit and infra tests run without the
// local stack (`vitest run test/unit` never starts Java); integration and browser tests share one stack,
// started once per run by test/setup/global.ts. The machine has 2 cores: two workers at most.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    pool: 'threads',
    poolOptions: { threads: { minThreads: 1, maxThreads: 2 } },
    teardownTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 10_000,
          // As every function gets it (infra/local/environment.ts, the stack); unset, Powertools warns per metric.
          env: { POWERTOOLS_METRICS_NAMESPACE: 'Atende/test' },
        },
      },
      {
        extends: true,
        test: { name: 'infra', include: ['test/infra/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          globalSetup: ['test/setup/global.ts'],
          setupFiles: ['test/setup/env.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
