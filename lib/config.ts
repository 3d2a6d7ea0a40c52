/**
 * The one place that reads the environment. Handlers and adapters receive a
 * typed {@link Config}; nothing else in `lib/` or `functions/` touches
 * `process.env`. The environment is read once (on the first `config()` call,
 * i.e. on a Lambda cold start) and validated, so a missing or malformed
 * variable fails the first invocation loudly, naming the variable, instead of
 * surfacing later as an obscure SDK error.
 *
 * The AWS SDK still reads its own standard variables (`AWS_ENDPOINT_URL_IOT`,
 * `AWS_ENDPOINT_URL`, credentials): that is how the same handlers talk to AWS
 * or to the local stack without a local-only code path.
 */
import { z } from 'zod';

const logLevels = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;

/** A positive integer given as an environment string. */
const positiveInt = (fallback: number) =>
  z
    .string()
    .regex(/^[1-9]\d*$/, 'must be a positive integer')
    .transform(Number)
    .optional()
    .transform((n) => n ?? fallback);

const envSchema = z.object({
  /** Set by Lambda itself; set by the local stack for local runs. */
  AWS_REGION: z.string().min(1, 'must not be empty'),
  POWERTOOLS_SERVICE_NAME: z.string().min(1).optional().default('fleetwave'),
  POWERTOOLS_LOG_LEVEL: z
    .string()
    .transform((s) => s.toUpperCase())
    .pipe(z.enum(logLevels))
    .optional()
    .default('INFO'),
  /**
   * Attempts per AWS call, first try included (SDK standard retry mode). The
   * SDK's own default is 3: enough to absorb a passing throttle, short enough
   * that persistent throttling reaches the caller as 429 well within the API
   * Gateway timeout.
   */
  AWS_MAX_ATTEMPTS: positiveInt(3),
  /** The `Retry-After` (seconds) the API sends when AWS keeps throttling. */
  FLEETWAVE_THROTTLE_RETRY_AFTER_SECONDS: positiveInt(1),
});

/** Typed, validated configuration for handlers and adapters. */
export interface Config {
  region: string;
  serviceName: string;
  logLevel: (typeof logLevels)[number];
  aws: {
    /** Attempts per AWS call, first try included. */
    maxAttempts: number;
    /** Seconds a caller should wait after AWS throttled a call. */
    throttleRetryAfterSeconds: number;
  };
}

/** Raised when the environment is missing or breaks a variable's rule; names every bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Validates `env` and builds the {@link Config}. Pure: pass any record (tests
 * pass a literal). Throws {@link ConfigError} naming every bad variable.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.map(String).join('.');
      return env[name] === undefined ? `${name} is not set` : `${name} ${issue.message}`;
    });
    throw new ConfigError(`Invalid environment: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return {
    region: e.AWS_REGION,
    serviceName: e.POWERTOOLS_SERVICE_NAME,
    logLevel: e.POWERTOOLS_LOG_LEVEL,
    aws: {
      maxAttempts: e.AWS_MAX_ATTEMPTS,
      throttleRetryAfterSeconds: e.FLEETWAVE_THROTTLE_RETRY_AFTER_SECONDS,
    },
  };
}

let cached: Config | undefined;

/** The process's configuration, read from `process.env` on first use and cached. */
export function config(): Config {
  cached ??= loadConfig(process.env);
  return cached;
}

/**
 * Forgets the cached configuration so the next `config()` reads the
 * environment again. For hosts that change the environment between runs in one
 * process (the local stack restarting on new ports); Lambda never needs it.
 * Objects built from the old configuration (SDK clients) are rebuilt too, see
 * {@link perConfig}.
 */
export function resetConfig(): void {
  cached = undefined;
}

/**
 * Memoises `build(config())` for as long as the configuration stays the same
 * object: a handler's SDK client is built once per cold start, and rebuilt
 * after {@link resetConfig}.
 */
export function perConfig<T>(build: (config: Config) => T): () => T {
  let forConfig: Config | undefined;
  let value: T;
  return () => {
    const current = config();
    if (current !== forConfig) {
      value = build(current);
      forConfig = current;
    }
    return value;
  };
}
