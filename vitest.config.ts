import { defineConfig } from 'vitest/config';

// unit: no Redis, no Java, no child processes (`npm run test:unit`, seconds).
// integration: real redis-server and Cassandra (one shared Cassandra, started by the global setup).
// faults: the kill -9 suite with its own stores; `npm test` runs it alone, after the others.
// None looks in cdk.out: `npm run synth` copies the repository, tests and all, into its assets.
const shared = { testTimeout: 60_000, hookTimeout: 120_000, setupFiles: ['./test-support/temp-cleanup.ts'] };

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { test: { ...shared, name: 'unit', include: ['**/*.test.ts'], exclude: ['node_modules/**', 'e2e/**', 'cdk.out/**', '**/*.integration.test.ts', '**/*.faults.test.ts'] } },
      { test: { ...shared, name: 'integration', include: ['**/*.integration.test.ts'], exclude: ['node_modules/**', 'cdk.out/**'], globalSetup: ['./vitest.global-setup.ts'] } },
      { test: { ...shared, name: 'faults', include: ['**/*.faults.test.ts'], exclude: ['node_modules/**', 'cdk.out/**'], testTimeout: 600_000 } },
    ],
  },
});
