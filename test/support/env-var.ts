import { afterAll, beforeAll } from 'vitest';

/**
 * Sets `process.env[name]` to `value` for the calling file's (or describe's)
 * tests and puts the previous value back after them. Register it before the
 * stack starts: the stack's handlers read their configuration then.
 */
export function useEnvVariable(name: string, value: string): void {
  const previous = process.env[name];
  beforeAll(() => {
    process.env[name] = value;
  });
  afterAll(() => {
    if (previous === undefined) delete process.env[name];
    else process.env[name] = previous;
  });
}
