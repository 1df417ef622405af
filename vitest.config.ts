import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql ships ESM and CJS builds; @graphql-tools loads the CJS one, so tests must too, or schema objects
  // from the two builds meet ("another module or realm"). Plain Node resolves them consistently.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-database.ts'],
    // Each file gets its own database on one shared server; files run in parallel across 2 cores.
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 240_000,
    // The JSON report lets .ci/run print a plain "N passed, N failed" summary line.
    reporters: ['default', ['json', { outputFile: '.cache/vitest-report.json' }]],
  },
});
