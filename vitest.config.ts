import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more workers only make the database-backed suites contend.
    maxWorkers: 2,
    reporters: ['default', './test/summary.reporter.ts'],
  },
})
