import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start real servers on free ports; a slow shared
    // machine needs more than the default 5 s for the larger scenarios.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most files spend their time waiting on servers, child processes and the
    // browser, not on the CPU: two files at a time even on two cores (Vitest's
    // default there is one) shortens the run by about a third.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // The SDK warns on every worker that Node 20 support ends in 2027; Lambda runs
    // Node 22, and the warning drowns the test report.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
