// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/** Modules that must stay pure: plain data in, plain data out. */
const PURE = ['src/domain/**/*.ts', 'src/features/**/*.ts', 'src/sim/**/*.ts', 'src/models/**/*.ts', 'src/ingest/records.parse.ts', 'src/ingest/mqtt/payload.parse.ts', 'src/ingest/mqtt/topics.ts', 'src/alerts/**/*.ts']
const NO_IO = {
  patterns: [
    { group: ['node:*', 'fs', 'fs/*', 'path', 'http', 'https', 'net', 'dgram', 'dns', 'child_process', 'cluster', 'os', 'zlib', 'crypto', 'events', 'stream', 'stream/*', 'worker_threads', 'url', 'util', 'process', 'timers', 'timers/*', 'readline', 'tls', 'v8', 'vm', 'perf_hooks', 'module', 'buffer'], message: 'pure code takes and returns plain data: no Node I/O modules' },
    { group: ['**/store/**', '**/api/**', '**/bus/**', '**/ingest/*.routes*', '**/pipeline/**', '**/cli/**', '**/main.js'], message: 'pure code must not depend on adapters or services' },
    { group: ['@duckdb/*', 'pg', 'pg-*', 'fastify', '@fastify/*', 'mqtt', 'aedes', 'nats', 'pino'], message: 'pure code imports no driver' },
  ],
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'web/**', '.test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // Only main.ts chooses adapters: nothing else imports a concrete store.
    files: ['src/**/*.ts'],
    ignores: ['src/main.ts', 'src/store/**', '**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/store/duckdb/*', '**/store/postgres/*', '**/store/sql/*'], message: 'depend on the ports in store/ports.ts; main.ts picks the adapter' }] },
      ],
    },
  },
  // Last, so that pure folders get the stricter list.
  { files: PURE, ignores: ['**/*.test.ts', 'src/models/runtime/**', 'src/models/**/*.eval.ts', 'src/alerts/notify/**'], rules: { 'no-restricted-imports': ['error', NO_IO] } },
)
