import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start real servers on free ports; a slow shared
    // machine needs more than the default 5 s for the larger scenarios.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The SDK warns on every worker that Node 20 support ends in 2027; Lambda runs
    // Node 22, and the warning drowns the test report.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
