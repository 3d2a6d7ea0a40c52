/**
 * Webhook secrets from SSM (through Powertools Parameters, against a real SSM
 * client whose requests a middleware answers) and from the environment.
 */
import {
  type GetParametersCommandInput,
  type GetParametersCommandOutput,
  type ParameterType,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createWebhookSecrets,
  EnvWebhookSecrets,
  SsmWebhookSecrets,
  splitSecret,
} from '../../../lib/adapters/secrets.js';
import { ConfigError, loadConfig } from '../../../lib/config.js';
import { ThrottledError, UpstreamError } from '../../../lib/domain/errors.js';

/**
 * An SSM client whose GetParameters calls are answered from memory: counts
 * calls, and can fail or hold its answer. The store can change between
 * calls, as a rotation changes a parameter.
 */
class FakeSsm {
  readonly client = new SSMClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  calls: GetParametersCommandInput[] = [];
  failWith: Error | undefined;
  private release: (() => void) | undefined;
  private held: Promise<void> | undefined;

  constructor(readonly store: Record<string, { Value: string; Type?: ParameterType }>) {
    this.client.middlewareStack.add(
      () => async (args) => {
        const input = args.input as GetParametersCommandInput;
        this.calls.push(input);
        await this.held;
        if (this.failWith) throw this.failWith;
        return { output: this.answer(input.Names ?? []), response: {} };
      },
      { step: 'initialize', name: 'fakeSsm' },
    );
  }

  private answer(names: string[]): GetParametersCommandOutput {
    return {
      $metadata: {},
      Parameters: names
        .filter((n) => n in this.store)
        .map((n) => ({ Name: n, Value: this.store[n]!.Value, Type: this.store[n]!.Type ?? 'SecureString' })),
      InvalidParameters: names.filter((n) => !(n in this.store)),
    };
  }

  hold(): void {
    this.held = new Promise((resolve) => {
      this.release = resolve;
    });
  }

  resume(): void {
    this.release?.();
    this.held = undefined;
  }
}

const awsError = (name: string) => Object.assign(new Error(name), { name });
const parameterNames = { github: '/fleetwave/prod/github', generic: '/fleetwave/prod/generic' };
const settings = { parameterNames, maxAgeSeconds: 300, throttleRetryAfterSeconds: 2 };
const bothSecrets = () =>
  new FakeSsm({ '/fleetwave/prod/github': { Value: 'gh' }, '/fleetwave/prod/generic': { Value: 'gen' } });

afterEach(() => {
  vi.useRealTimers();
});

describe('SsmWebhookSecrets', () => {
  it('fetches every configured parameter in one decrypted GetParameters call, then serves from its cache', async () => {
    const ssm = bothSecrets();
    const secrets = new SsmWebhookSecrets(ssm.client, settings);
    expect(await secrets.get('github')).toEqual(['gh']);
    expect(await secrets.get('generic')).toEqual(['gen']);
    expect(await secrets.get('gitlab')).toEqual([]);
    expect(ssm.calls).toEqual([
      { Names: ['/fleetwave/prod/github', '/fleetwave/prod/generic'], WithDecryption: true },
    ]);
  });

  it('shares one fetch between concurrent first calls', async () => {
    const ssm = bothSecrets();
    ssm.hold();
    const secrets = new SsmWebhookSecrets(ssm.client, settings);
    const pending = [secrets.get('github'), secrets.get('generic'), secrets.get('github')];
    ssm.resume();
    expect(await Promise.all(pending)).toEqual([['gh'], ['gen'], ['gh']]);
    expect(ssm.calls).toHaveLength(1);
  });

  it('reads a rotated secret again once the cache age has passed, without a cold start', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const ssm = bothSecrets();
    const secrets = new SsmWebhookSecrets(ssm.client, { ...settings, maxAgeSeconds: 60 });
    expect(await secrets.get('github')).toEqual(['gh']);
    ssm.store['/fleetwave/prod/github'] = { Value: 'gh-2\ngh' };
    vi.setSystemTime(new Date('2026-01-01T00:00:59Z'));
    expect(await secrets.get('github')).toEqual(['gh']);
    expect(ssm.calls).toHaveLength(1);
    vi.setSystemTime(new Date('2026-01-01T00:01:01Z'));
    expect(await secrets.get('github')).toEqual(['gh-2', 'gh']);
    expect(ssm.calls).toHaveLength(2);
  });

  it('translates throttling and retries on the next call instead of caching the failure', async () => {
    const ssm = bothSecrets();
    ssm.failWith = awsError('ThrottlingException');
    const secrets = new SsmWebhookSecrets(ssm.client, settings);
    const first = secrets.get('github');
    await expect(first).rejects.toBeInstanceOf(ThrottledError);
    await expect(first).rejects.toMatchObject({ retryAfterSeconds: 2 });
    ssm.failWith = undefined;
    expect(await secrets.get('github')).toEqual(['gh']);
    expect(ssm.calls).toHaveLength(2);
  });

  it('reports any other SSM error as UpstreamError', async () => {
    const ssm = new FakeSsm({});
    ssm.failWith = awsError('AccessDeniedException');
    const secrets = new SsmWebhookSecrets(ssm.client, settings);
    await expect(secrets.get('github')).rejects.toMatchObject({
      name: 'UpstreamError',
      upstreamName: 'AccessDeniedException',
    });
  });

  it('fails loudly, naming it, when a configured parameter does not exist, and tries again next time', async () => {
    const ssm = new FakeSsm({ '/fleetwave/prod/github': { Value: 'gh' } });
    const secrets = new SsmWebhookSecrets(ssm.client, settings);
    const attempt = secrets.get('github');
    await expect(attempt).rejects.toBeInstanceOf(UpstreamError);
    await expect(attempt).rejects.toThrow('/fleetwave/prod/generic');
    ssm.store['/fleetwave/prod/generic'] = { Value: 'gen' };
    expect(await secrets.get('generic')).toEqual(['gen']);
  });

  it('reads several values of a secret during a rotation, one per line', async () => {
    const ssm = new FakeSsm({
      '/fleetwave/prod/github': { Value: 'new\nold\n' },
      '/fleetwave/prod/generic': { Value: 'a\r\nb' },
    });
    const secrets = new SsmWebhookSecrets(ssm.client, settings);
    expect(await secrets.get('github')).toEqual(['new', 'old']);
    expect(await secrets.get('generic')).toEqual(['a', 'b']);
  });
});

describe('secrets from the environment', () => {
  it('serves configured values and nothing for the others', async () => {
    const secrets = new EnvWebhookSecrets({ gitlab: 'token' });
    expect(await secrets.get('gitlab')).toEqual(['token']);
    expect(await secrets.get('github')).toEqual([]);
  });

  it('splits a multi-line value into its values', () => {
    expect(splitSecret(' a \n\nb\r\n')).toEqual(['a', 'b']);
  });
});

describe('configuration of the secrets', () => {
  const region = { AWS_REGION: 'eu-west-1' };

  it('reads values from the environment locally', async () => {
    const config = loadConfig({ ...region, FLEETWAVE_GITHUB_WEBHOOK_SECRET: 'local-gh' });
    expect(config.webhookSecrets).toEqual({ source: 'env', values: { github: 'local-gh' } });
    const unused = () => {
      throw new Error('SSM must not be used');
    };
    expect(await createWebhookSecrets(config, unused).get('github')).toEqual(['local-gh']);
  });

  it('uses SSM when parameter names are configured', async () => {
    const config = loadConfig({ ...region, FLEETWAVE_GITLAB_WEBHOOK_SECRET_PARAMETER: '/fw/gitlab' });
    expect(config.webhookSecrets).toEqual({
      source: 'ssm',
      parameterNames: { gitlab: '/fw/gitlab' },
      maxAgeSeconds: 300,
    });
    const ssm = new FakeSsm({ '/fw/gitlab': { Value: 'from-ssm' } });
    expect(await createWebhookSecrets(config, () => ssm.client).get('gitlab')).toEqual(['from-ssm']);
  });

  it('reads the cache age of SSM secrets, and refuses one that is not a positive number of seconds', () => {
    const ssm = { ...region, FLEETWAVE_GITLAB_WEBHOOK_SECRET_PARAMETER: '/fw/gitlab' };
    expect(loadConfig({ ...ssm, FLEETWAVE_SECRETS_MAX_AGE_SECONDS: '60' }).webhookSecrets).toMatchObject({
      maxAgeSeconds: 60,
    });
    expect(() => loadConfig({ ...ssm, FLEETWAVE_SECRETS_MAX_AGE_SECONDS: '0' })).toThrow(
      /FLEETWAVE_SECRETS_MAX_AGE_SECONDS must be a positive integer/,
    );
  });

  it('lets FLEETWAVE_SECRETS_SOURCE choose when both kinds are set', () => {
    const config = loadConfig({
      ...region,
      FLEETWAVE_SECRETS_SOURCE: 'env',
      FLEETWAVE_OUTGOING_WEBHOOK_SECRET: 'sign-me',
      FLEETWAVE_OUTGOING_WEBHOOK_SECRET_PARAMETER: '/fw/outgoing',
    });
    expect(config.webhookSecrets).toEqual({ source: 'env', values: { outgoing: 'sign-me' } });
  });

  it('configures no secret when none is set, so every signature check refuses', async () => {
    const config = loadConfig(region);
    expect(config.webhookSecrets).toBeUndefined();
    expect(await createWebhookSecrets(config).get('generic')).toEqual([]);
  });

  it('refuses a malformed topic ARN and an unknown secrets source', () => {
    expect(() => loadConfig({ ...region, FLEETWAVE_NOTIFICATION_TOPIC_ARN: 'topic' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...region, FLEETWAVE_SECRETS_SOURCE: 'vault' })).toThrow(
      /FLEETWAVE_SECRETS_SOURCE/,
    );
  });

  it('reads the event bus and the topic', () => {
    const config = loadConfig({
      ...region,
      FLEETWAVE_EVENT_BUS_NAME: 'fleetwave-releases',
      FLEETWAVE_NOTIFICATION_TOPIC_ARN: 'arn:aws:sns:eu-west-1:111122223333:fleetwave-notifications',
    });
    expect(config.resources).toMatchObject({
      eventBusName: 'fleetwave-releases',
      notificationTopicArn: 'arn:aws:sns:eu-west-1:111122223333:fleetwave-notifications',
    });
  });
});
