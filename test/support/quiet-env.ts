import { afterAll, beforeAll } from 'vitest';
import { resetConfig } from '../../lib/config.js';

/**
 * For the calling test file: a region and a silent logger (the logger and
 * the configuration read process.env), the configuration re-read with them,
 * and the environment as it was restored after the file's tests.
 */
export function useQuietEnv(): void {
  const savedEnv = { ...process.env };
  beforeAll(() => {
    process.env.AWS_REGION = 'us-east-1';
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    resetConfig();
  });
  afterAll(() => {
    process.env = savedEnv;
    resetConfig();
  });
}
