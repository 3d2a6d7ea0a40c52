/**
 * Webhook secrets: the shared secrets of incoming GitHub, GitLab and generic
 * webhooks, and the key that signs outgoing ones.
 *
 * On AWS they live in SSM Parameter Store (SecureString), read with
 * Powertools Parameters (`SSMProvider.getParametersByName`, decrypted, one
 * `GetParameters` call for all of them) and cached for
 * `FLEETWAVE_SECRETS_MAX_AGE_SECONDS` (default 300): a rotated secret
 * applies within that age, without waiting for a cold start. Concurrent
 * reads of an expired cache share one fetch, and a failed fetch is not
 * cached: the next request tries again. Locally they come from the
 * environment (`FLEETWAVE_GITHUB_WEBHOOK_SECRET`, ...). `lib/config.ts`
 * decides which.
 *
 * A secret may hold several values, one per line, so a secret can be
 * rotated without downtime: the verifiers accept any of them, and outgoing
 * webhooks are signed with each.
 */
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { SSMClient } from '@aws-sdk/client-ssm';
import { type Config, perConfig, type WebhookSecretName } from '../config.js';
import { type FleetwaveError, ThrottledError, UpstreamError } from '../domain/errors.js';

export type { WebhookSecretName } from '../config.js';

/** Resolves webhook secrets. */
export interface WebhookSecrets {
  /** The current values of a secret (several during a rotation); empty when it is not configured. */
  get(name: WebhookSecretName): Promise<readonly string[]>;
}

/** Splits a stored secret into its values, one per line. */
export function splitSecret(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Secrets given as values (the local stack, tests). */
export class EnvWebhookSecrets implements WebhookSecrets {
  private readonly values: Partial<Record<WebhookSecretName, readonly string[]>>;

  constructor(values: Partial<Record<WebhookSecretName, string>>) {
    this.values = Object.fromEntries(
      Object.entries(values).map(([name, value]) => [name, splitSecret(value)]),
    );
  }

  get(name: WebhookSecretName): Promise<readonly string[]> {
    return Promise.resolve(this.values[name] ?? []);
  }
}

/** What {@link SsmWebhookSecrets} needs from the configuration. */
export interface SsmWebhookSecretsConfig {
  /** SSM parameter name (or ARN) of each configured secret. */
  parameterNames: Partial<Record<WebhookSecretName, string>>;
  /** Seconds a fetched value is used before it is read again. */
  maxAgeSeconds: number;
  /** `Retry-After` seconds when SSM throttles. */
  throttleRetryAfterSeconds: number;
}

/** The errors Powertools collects, one per parameter it could not read, under this key. */
const errorsKey = '_errors';

function fromSsmError(error: unknown, retryAfterSeconds: number): FleetwaveError {
  // Powertools wraps what the SDK threw in its own error, with the SDK's as the cause.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const name = cause instanceof Error ? cause.name : 'UnknownError';
  if (name === 'ThrottlingException' || name === 'TooManyUpdates') {
    return new ThrottledError('AWS SSM is throttling requests. Retry later.', retryAfterSeconds);
  }
  return new UpstreamError('AWS SSM call failed.', name);
}

/** Secrets in SSM Parameter Store, cached for {@link SsmWebhookSecretsConfig.maxAgeSeconds}. */
export class SsmWebhookSecrets implements WebhookSecrets {
  private readonly provider: SSMProvider;
  private loading: Promise<Record<string, unknown>> | undefined;

  constructor(
    client: SSMClient,
    private readonly config: SsmWebhookSecretsConfig,
  ) {
    this.provider = new SSMProvider({ awsSdkV3Client: client });
  }

  async get(name: WebhookSecretName): Promise<readonly string[]> {
    const parameter = this.config.parameterNames[name];
    if (parameter === undefined) return [];
    // Reads from Powertools' cache while it is fresh; an expired cache is fetched once for every waiting caller.
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    const value = (await this.loading)[parameter];
    return typeof value === 'string' ? splitSecret(value) : [];
  }

  private async load(): Promise<Record<string, unknown>> {
    const names = [...new Set(Object.values(this.config.parameterNames))];
    let values: Record<string, unknown>;
    try {
      values = await this.provider.getParametersByName(Object.fromEntries(names.map((n) => [n, {}])), {
        maxAge: this.config.maxAgeSeconds,
        decrypt: true,
        throwOnError: false,
      });
    } catch (error) {
      throw fromSsmError(error, this.config.throttleRetryAfterSeconds);
    }
    const missing = values[errorsKey];
    if (Array.isArray(missing) && missing.length > 0) {
      // A configured parameter that does not exist is a deployment fault, not a bad request.
      throw new UpstreamError(`SSM parameters not found: ${missing.join(', ')}`, 'ParameterNotFound');
    }
    return values;
  }
}

/** A new SSM client for `config` (SDK standard retries). */
function createSsmClient(config: Config): SSMClient {
  return new SSMClient({ region: config.region, maxAttempts: config.aws.maxAttempts, retryMode: 'standard' });
}

/** The secrets `config` says to use; `ssm` is only called when they live in SSM. */
export function createWebhookSecrets(
  config: Config,
  ssm: () => SSMClient = () => createSsmClient(config),
): WebhookSecrets {
  const source = config.webhookSecrets;
  if (source?.source === 'ssm') {
    return new SsmWebhookSecrets(ssm(), {
      parameterNames: source.parameterNames,
      maxAgeSeconds: source.maxAgeSeconds,
      throttleRetryAfterSeconds: config.aws.throttleRetryAfterSeconds,
    });
  }
  return new EnvWebhookSecrets(source?.source === 'env' ? source.values : {});
}

/** The process's webhook secrets: resolved once per cold start, shared by every invocation. */
export const webhookSecrets: () => WebhookSecrets = perConfig((config) => createWebhookSecrets(config));
