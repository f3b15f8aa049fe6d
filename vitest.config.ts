import { defineConfig } from 'vitest/config';

/**
 * Two projects:
 * - `unit`: pure code, tests beside it (`*.test.ts`), no services.
 * - `integration`: `*.int.test.ts`, run against the real Redis and Kafka that
 *   packages/testkit starts (or the ones named by REDIS_URL / KAFKA_BROKERS).
 *   Files run one at a time: they share the services, and this machine has 2 cores.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.{ts,tsx}'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['packages/*/src/**/*.int.test.ts', 'apps/*/src/**/*.int.test.ts'],
          exclude: ['**/node_modules/**'],
          globalSetup: ['packages/testkit/src/vitestGlobalSetup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
