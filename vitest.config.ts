import { defineConfig } from 'vitest/config';

// One command runs every suite: unit tests, the API suite twice (embedded PGlite and a real
// PostgreSQL server), and the tests that start the built server as a separate process.
const apiSuite = ['apps/api/test/auth/**/*.test.ts', 'apps/api/test/tasks/**/*.test.ts', 'apps/api/test/http/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { test: { name: 'unit', include: ['apps/api/src/**/*.test.ts'] } },
      { test: { name: 'api-pglite', include: apiSuite, env: { TEST_DB: 'pglite' } } },
      {
        test: {
          name: 'api-postgres',
          include: [...apiSuite, 'apps/api/test/postgres/**/*.test.ts'],
          env: { TEST_DB: 'postgres' },
        },
      },
      { test: { name: 'server-process', include: ['apps/api/test/process/**/*.test.ts'] } },
    ],
  },
});
