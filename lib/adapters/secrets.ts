/**
 * Webhook secrets: the shared secrets of incoming GitHub, GitLab and generic
 * webhooks, and the key that signs outgoing ones.
 *
 * On AWS they live in SSM Parameter Store (SecureString, read with
 * `WithDecryption`), fetched once per cold start in one `GetParameters` call
 * and kept in memory; concurrent first requests share that one fetch, and a
 * failed fetch is retried by the next request instead of being cached.
 * Locally they come from the environment (`FLEETWAVE_GITHUB_WEBHOOK_SECRET`,
 * ...). `lib/config.ts` decides which.
 *
 * A secret may hold several values, one per line (a `StringList` parameter:
 * comma-separated), so a secret can be rotated without downtime: the
 * verifiers accept any of them, and outgoing webhooks are signed with each.
 */
import { GetParametersCommand, type GetParametersCommandOutput, SSMClient } from '@aws-sdk/client-ssm';
import { type Config, perConfig, type WebhookSecretName } from '../config.js';
import { type FleetwaveError, ThrottledError, UpstreamError } from '../domain/errors.js';

export type { WebhookSecretName } from '../config.js';

/** Resolves webhook secrets. */
export interface WebhookSecrets {
  /** The current values of a secret (several during a rotation); empty when it is not configured. */
  get(name: WebhookSecretName): Promise<readonly string[]>;
}

type SecretValues = Partial<Record<WebhookSecretName, readonly string[]>>;

/** Splits a stored secret into its values: one per line, or per comma for a `StringList`. */
export function splitSecret(value: string, type?: string): string[] {
  return value
    .split(type === 'StringList' ? ',' : /\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Secrets given as values (the local stack, tests). */
export class EnvWebhookSecrets implements WebhookSecrets {
  private readonly values: SecretValues;

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
  /** `Retry-After` seconds when SSM throttles. */
  throttleRetryAfterSeconds: number;
}

/** The part of `SSMClient` this adapter uses (a fake in tests). */
export type SsmSend = Pick<SSMClient, 'send'>;

function fromSsmError(error: unknown, retryAfterSeconds: number): FleetwaveError {
  const name = error instanceof Error ? error.name : 'UnknownError';
  if (name === 'ThrottlingException' || name === 'TooManyUpdates') {
    return new ThrottledError('AWS SSM is throttling requests. Retry later.', retryAfterSeconds);
  }
  return new UpstreamError('AWS SSM call failed.', name);
}

/** Secrets in SSM Parameter Store, fetched once and cached for the life of the instance. */
export class SsmWebhookSecrets implements WebhookSecrets {
  private loading: Promise<SecretValues> | undefined;

  constructor(
    private readonly client: SsmSend,
    private readonly config: SsmWebhookSecretsConfig,
  ) {}

  async get(name: WebhookSecretName): Promise<readonly string[]> {
    this.loading ??= this.load().catch((error: unknown) => {
      // Forget the failure: the next request tries again instead of failing for the life of the container.
      this.loading = undefined;
      throw error;
    });
    return (await this.loading)[name] ?? [];
  }

  private async load(): Promise<SecretValues> {
    const entries = Object.entries(this.config.parameterNames) as [WebhookSecretName, string][];
    const names = [...new Set(entries.map(([, parameter]) => parameter))];
    if (names.length === 0) return {};
    let out: GetParametersCommandOutput;
    try {
      out = await this.client.send(new GetParametersCommand({ Names: names, WithDecryption: true }));
    } catch (error) {
      throw fromSsmError(error, this.config.throttleRetryAfterSeconds);
    }
    if (out.InvalidParameters && out.InvalidParameters.length > 0) {
      // A configured parameter that does not exist is a deployment fault, not a bad request.
      throw new UpstreamError(
        `SSM parameters not found: ${out.InvalidParameters.join(', ')}`,
        'ParameterNotFound',
      );
    }
    const byName = new Map<string, string[]>();
    for (const p of out.Parameters ?? []) {
      const values = splitSecret(p.Value ?? '', p.Type);
      if (p.Name) byName.set(p.Name, values);
      if (p.ARN) byName.set(p.ARN, values);
    }
    return Object.fromEntries(entries.map(([name, parameter]) => [name, byName.get(parameter) ?? []]));
  }
}

/** A new SSM client for `config` (SDK standard retries). */
function createSsmClient(config: Config): SSMClient {
  return new SSMClient({ region: config.region, maxAttempts: config.aws.maxAttempts, retryMode: 'standard' });
}

/** The secrets `config` says to use; `ssm` is only called when they live in SSM. */
export function createWebhookSecrets(
  config: Config,
  ssm: () => SsmSend = () => createSsmClient(config),
): WebhookSecrets {
  const source = config.webhookSecrets;
  if (source?.source === 'ssm') {
    return new SsmWebhookSecrets(ssm(), {
      parameterNames: source.parameterNames,
      throttleRetryAfterSeconds: config.aws.throttleRetryAfterSeconds,
    });
  }
  return new EnvWebhookSecrets(source?.source === 'env' ? source.values : {});
}

/** The process's webhook secrets: resolved once per cold start, shared by every invocation. */
export const webhookSecrets: () => WebhookSecrets = perConfig((config) => createWebhookSecrets(config));
