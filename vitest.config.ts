import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: {
    // graphql 16 ships CommonJS (`main`) and ESM (`module`) builds. Node, and so
    // every dependency (yoga, graphql-tools), loads the CommonJS one; Vite would
    // give our sources the ESM one, and graphql refuses types from "another
    // realm". One build for everyone, as in production.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
