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
import * as z from 'zod';
import { DEFAULT_CALLS_PER_SECOND, MIN_CALLS_PER_SECOND } from './domain/call-pacing.js';

const logLevels = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;

/** A positive integer given as an environment string. */
const positiveInt = (fallback: number) =>
  z
    .string()
    .regex(/^[1-9]\d*$/, 'must be a positive integer')
    .transform(Number)
    .optional()
    .transform((n) => n ?? fallback);

/** The webhook secrets fleetwave knows: incoming GitHub, GitLab and generic webhooks, and outgoing signatures. */
const webhookSecretNames = ['github', 'gitlab', 'generic', 'outgoing'] as const;
export type WebhookSecretName = (typeof webhookSecretNames)[number];

/** `FLEETWAVE_GITHUB_<suffix>` ... `FLEETWAVE_OUTGOING_<suffix>`, for each secret. */
const secretVariable = (name: WebhookSecretName, suffix: string) =>
  `FLEETWAVE_${name.toUpperCase()}_${suffix}`;

/** One optional variable per secret: the value itself, or the SSM parameter holding it. */
function secretVariables(suffix: 'WEBHOOK_SECRET' | 'WEBHOOK_SECRET_PARAMETER') {
  return Object.fromEntries(
    webhookSecretNames.map((name) => [
      secretVariable(name, suffix),
      z.string().min(1, 'must not be empty').optional(),
    ]),
  ) as Record<string, z.ZodOptional<z.ZodString>>;
}

/**
 * Where the webhook secrets come from. On AWS, SSM Parameter Store
 * (`FLEETWAVE_<NAME>_WEBHOOK_SECRET_PARAMETER` names SecureString parameters);
 * locally, the values themselves (`FLEETWAVE_<NAME>_WEBHOOK_SECRET`).
 */
type WebhookSecretsConfig =
  | {
      source: 'ssm';
      parameterNames: Partial<Record<WebhookSecretName, string>>;
      /** How long a fetched value is used before it is read again, so a rotation applies without a cold start. */
      maxAgeSeconds: number;
    }
  | { source: 'env'; values: Partial<Record<WebhookSecretName, string>> };

/** Reads the secret variables of one kind into a record keyed by secret name. */
function secretsOf(env: Record<string, unknown>, suffix: string): Partial<Record<WebhookSecretName, string>> {
  return Object.fromEntries(
    webhookSecretNames.flatMap((name) => {
      const value = env[secretVariable(name, suffix)];
      return typeof value === 'string' ? [[name, value]] : [];
    }),
  );
}

/**
 * The secrets source: `FLEETWAVE_SECRETS_SOURCE` when set, else SSM when any
 * parameter name is given, else the environment when any value is; undefined
 * when no secret is configured (every signature check then fails).
 */
function webhookSecretsOf(
  env: Record<string, unknown>,
  maxAgeSeconds: number,
): WebhookSecretsConfig | undefined {
  const parameterNames = secretsOf(env, 'WEBHOOK_SECRET_PARAMETER');
  const values = secretsOf(env, 'WEBHOOK_SECRET');
  const source =
    env.FLEETWAVE_SECRETS_SOURCE ??
    (Object.keys(parameterNames).length > 0 ? 'ssm' : Object.keys(values).length > 0 ? 'env' : undefined);
  if (source === 'ssm') {
    return { source, parameterNames, maxAgeSeconds };
  }
  if (source === 'env') return { source, values };
  return undefined;
}

const envSchema = z.object({
  /** Set by Lambda itself; set by the local stack for local runs. */
  AWS_REGION: z.string().min(1, 'must not be empty'),
  POWERTOOLS_SERVICE_NAME: z.string().min(1).optional().default('fleetwave'),
  /**
   * The deployment stage (`${sls:stage}`, `local` on the local stack): every
   * metric carries it as its `stage` dimension, so one stage's alarms never
   * count another stage's releases. serverless.yml sets it on every function;
   * `local` when unset (a test or a script running a handler directly).
   */
  FLEETWAVE_STAGE: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a stage name (letters, digits, hyphens)')
    .optional()
    .default('local'),
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
  /**
   * Calls per second fleetwave makes, at most, to each AWS IoT jobs API
   * (CreateJob, DescribeJob, CancelJob, the job templates), shared by every
   * release. AWS throttles each of them at about 10 per second per account;
   * the default leaves room for people and other tools in the same account.
   * `off` sends every call at once (AWS's throttling and the retries remain).
   */
  FLEETWAVE_IOT_CALLS_PER_SECOND: z
    .string()
    .refine(
      (v) => v === 'off' || (/^\d+(\.\d+)?$/.test(v) && Number(v) >= MIN_CALLS_PER_SECOND),
      `must be a number of calls per second from ${MIN_CALLS_PER_SECOND}, or off`,
    )
    .transform((v) => (v === 'off' ? ('off' as const) : Number(v)))
    .optional()
    .transform((n) => n ?? DEFAULT_CALLS_PER_SECOND),
  /**
   * The clock the IoT call budget reads. `wall` (on AWS): the wall clock.
   * `event`: the time the invocation's event carries (a state's entry time,
   * a request's or an event's time), for the local stack, whose clock is
   * virtual and far from the wall clock.
   */
  FLEETWAVE_IOT_BUDGET_CLOCK: z.enum(['wall', 'event']).optional().default('wall'),
  /** The DynamoDB table of releases (`FleetwaveTable`); required by the functions that use it. */
  FLEETWAVE_TABLE: z.string().min(1, 'must not be empty').optional(),
  /** ARN of the release state machine; required by the functions that start or stop releases. */
  FLEETWAVE_RELEASE_STATE_MACHINE_ARN: z
    .string()
    .regex(/^arn:[\w-]+:states:[\w-]+:\d{12}:stateMachine:[\w-]{1,80}$/, 'must be a state machine ARN')
    .optional(),
  /** The EventBridge bus release events are published to (name or ARN). */
  FLEETWAVE_EVENT_BUS_NAME: z.string().min(1, 'must not be empty').optional(),
  /** The SNS topic people subscribe to for release notifications. */
  FLEETWAVE_NOTIFICATION_TOPIC_ARN: z
    .string()
    .regex(/^arn:[\w-]+:sns:[\w-]+:\d{12}:[\w.-]{1,256}$/, 'must be an SNS topic ARN')
    .optional(),
  /** Where webhook secrets come from: `ssm` (Parameter Store, on AWS) or `env` (the variables below, locally). */
  FLEETWAVE_SECRETS_SOURCE: z.enum(['ssm', 'env']).optional(),
  /** Seconds a secret read from SSM is kept before it is read again (a rotated secret applies within it). */
  FLEETWAVE_SECRETS_MAX_AGE_SECONDS: positiveInt(300),
  /** JSON: which release a GitHub repository's published release starts (docs/triggers.md). */
  FLEETWAVE_GITHUB_RELEASE_MAP: z.string().optional(),
  /** JSON: which release a GitLab project's tag or release starts (docs/triggers.md). */
  FLEETWAVE_GITLAB_RELEASE_MAP: z.string().optional(),
  ...secretVariables('WEBHOOK_SECRET'),
  ...secretVariables('WEBHOOK_SECRET_PARAMETER'),
});

/** Typed, validated configuration for handlers and adapters. */
export interface Config {
  region: string;
  serviceName: string;
  /** The deployment stage (`FLEETWAVE_STAGE`). */
  stage: string;
  logLevel: (typeof logLevels)[number];
  aws: {
    /** Attempts per AWS call, first try included. */
    maxAttempts: number;
    /** Seconds a caller should wait after AWS throttled a call. */
    throttleRetryAfterSeconds: number;
  };
  /** Calls per second to each AWS IoT jobs API, at most (the IoT call budget); `off`: no budget. */
  iotCallsPerSecond: number | 'off';
  /** The clock the IoT call budget reads (`FLEETWAVE_IOT_BUDGET_CLOCK`). */
  iotBudgetClock: 'wall' | 'event';
  /** AWS resources, each set only for the functions that use it (see {@link requireSetting}). */
  resources: {
    tableName?: string;
    releaseStateMachineArn?: string;
    /** The EventBridge bus release events go to. */
    eventBusName?: string;
    /** The SNS topic of release notifications. */
    notificationTopicArn?: string;
  };
  /** Webhook secrets' source; absent when none is configured. */
  webhookSecrets?: WebhookSecretsConfig;
  /**
   * The release maps' JSON (`FLEETWAVE_GITHUB_RELEASE_MAP`, `..._GITLAB_...`), as given:
   * only the webhooks read them, parsed by `releaseMap(provider)` (lib/triggers/release-maps.ts),
   * so a bad map fails the webhook naming the variable, not every function.
   */
  releaseMapSources: { github?: string; gitlab?: string };
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
    stage: e.FLEETWAVE_STAGE,
    logLevel: e.POWERTOOLS_LOG_LEVEL,
    aws: {
      maxAttempts: e.AWS_MAX_ATTEMPTS,
      throttleRetryAfterSeconds: e.FLEETWAVE_THROTTLE_RETRY_AFTER_SECONDS,
    },
    iotCallsPerSecond: e.FLEETWAVE_IOT_CALLS_PER_SECOND,
    iotBudgetClock: e.FLEETWAVE_IOT_BUDGET_CLOCK,
    resources: {
      tableName: e.FLEETWAVE_TABLE,
      releaseStateMachineArn: e.FLEETWAVE_RELEASE_STATE_MACHINE_ARN,
      eventBusName: e.FLEETWAVE_EVENT_BUS_NAME,
      notificationTopicArn: e.FLEETWAVE_NOTIFICATION_TOPIC_ARN,
    },
    webhookSecrets: webhookSecretsOf(e, e.FLEETWAVE_SECRETS_MAX_AGE_SECONDS),
    releaseMapSources: {
      ...(e.FLEETWAVE_GITHUB_RELEASE_MAP !== undefined && { github: e.FLEETWAVE_GITHUB_RELEASE_MAP }),
      ...(e.FLEETWAVE_GITLAB_RELEASE_MAP !== undefined && { gitlab: e.FLEETWAVE_GITLAB_RELEASE_MAP }),
    },
  };
}

const settingVariables = {
  tableName: 'FLEETWAVE_TABLE',
  releaseStateMachineArn: 'FLEETWAVE_RELEASE_STATE_MACHINE_ARN',
  eventBusName: 'FLEETWAVE_EVENT_BUS_NAME',
  notificationTopicArn: 'FLEETWAVE_NOTIFICATION_TOPIC_ARN',
} as const satisfies Record<keyof Config['resources'], string>;

/**
 * A resource setting a function cannot work without. Only some functions
 * use each resource, so the variables are optional in the environment; a
 * function that needs one calls this when it builds its adapter (on its first
 * invocation) and fails loudly, naming the variable, when it is missing.
 * @throws ConfigError
 */
export function requireSetting(config: Config, key: keyof Config['resources']): string {
  const value = config.resources[key];
  if (value === undefined) throw new ConfigError(`Invalid environment: ${settingVariables[key]} is not set`);
  return value;
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
