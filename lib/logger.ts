/**
 * The structured JSON logger every handler shares (Powertools Logger). Built
 * from {@link Config} rather than letting the library read the environment, so
 * `lib/config.ts` stays the one reader; rebuilt when the configuration is reset.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { perConfig } from './config.js';

/** The process's logger; each invocation adds its Lambda and API request ids as temporary keys. */
export const logger: () => Logger = perConfig(
  (c) => new Logger({ serviceName: c.serviceName, logLevel: c.logLevel }),
);
