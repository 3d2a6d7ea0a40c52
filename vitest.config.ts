import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start real servers on free ports; a slow shared
    // machine needs more than the default 5 s for the larger scenarios.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
