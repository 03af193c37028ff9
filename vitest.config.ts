import { defineConfig } from 'vitest/config';

// One command runs every suite: unit tests, the API suite twice (embedded PGlite and a real
// PostgreSQL server), the tests that start the built server as a separate process, and the browser tests.
const apiSuite = [
  'apps/api/test/auth/**/*.test.ts',
  'apps/api/test/tasks/**/*.test.ts',
  'apps/api/test/http/**/*.test.ts',
  'apps/api/test/rate-limit/**/*.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/shared/src/**/*.test.ts', 'apps/api/src/**/*.test.ts', 'apps/web/src/**/*.test.ts'],
        },
      },
      { extends: true, test: { name: 'api-pglite', include: apiSuite, env: { TEST_DB: 'pglite' } } },
      {
        extends: true,
        test: {
          name: 'api-postgres',
          include: [...apiSuite, 'apps/api/test/postgres/**/*.test.ts'],
          env: { TEST_DB: 'postgres' },
        },
      },
      { extends: true, test: { name: 'server-process', include: ['apps/api/test/process/**/*.test.ts'] } },
      // Debian's Chromium driven by playwright-core against the built server; one file at a time.
      {
        extends: true,
        test: { name: 'e2e', include: ['apps/web/e2e/**/*.test.ts'], fileParallelism: false, testTimeout: 60_000 },
      },
    ],
  },
});
