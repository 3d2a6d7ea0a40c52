import type { GetParametersCommand, GetParametersCommandOutput, ParameterType } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import {
  createWebhookSecrets,
  EnvWebhookSecrets,
  type SsmSend,
  SsmWebhookSecrets,
  splitSecret,
} from '../../../lib/adapters/secrets.js';
import { ConfigError, loadConfig } from '../../../lib/config.js';
import { ThrottledError, UpstreamError } from '../../../lib/domain/errors.js';

/** An in-memory SSM answering GetParameters; counts calls and can fail or hold its answer. */
class FakeSsm implements SsmSend {
  calls: GetParametersCommand[] = [];
  failWith: Error | undefined;
  private release: (() => void) | undefined;
  private held: Promise<void> | undefined;

  constructor(private readonly store: Record<string, { Value: string; Type?: ParameterType }>) {}

  hold(): void {
    this.held = new Promise((resolve) => {
      this.release = resolve;
    });
  }

  resume(): void {
    this.release?.();
  }

  send = (async (command: GetParametersCommand): Promise<GetParametersCommandOutput> => {
    this.calls.push(command);
    await this.held;
    if (this.failWith) throw this.failWith;
    const names = command.input.Names ?? [];
    return {
      $metadata: {},
      Parameters: names
        .filter((n) => n in this.store)
        .map((n) => ({ Name: n, Value: this.store[n]!.Value, Type: this.store[n]!.Type ?? 'SecureString' })),
      InvalidParameters: names.filter((n) => !(n in this.store)),
    };
  }) as SsmSend['send'];
}

const awsError = (name: string) => Object.assign(new Error(name), { name });
const parameterNames = { github: '/fleetwave/prod/github', generic: '/fleetwave/prod/generic' };

describe('SsmWebhookSecrets', () => {
  it('fetches every configured parameter in one decrypted GetParameters call, then serves from memory', async () => {
    const ssm = new FakeSsm({
      '/fleetwave/prod/github': { Value: 'gh' },
      '/fleetwave/prod/generic': { Value: 'gen' },
    });
    const secrets = new SsmWebhookSecrets(ssm, { parameterNames, throttleRetryAfterSeconds: 2 });
    expect(await secrets.get('github')).toEqual(['gh']);
    expect(await secrets.get('generic')).toEqual(['gen']);
    expect(await secrets.get('gitlab')).toEqual([]);
    expect(ssm.calls).toHaveLength(1);
    expect(ssm.calls[0]?.input).toEqual({
      Names: ['/fleetwave/prod/github', '/fleetwave/prod/generic'],
      WithDecryption: true,
    });
  });

  it('shares one fetch between concurrent first calls', async () => {
    const ssm = new FakeSsm({
      '/fleetwave/prod/github': { Value: 'gh' },
      '/fleetwave/prod/generic': { Value: 'gen' },
    });
    ssm.hold();
    const secrets = new SsmWebhookSecrets(ssm, { parameterNames, throttleRetryAfterSeconds: 2 });
    const pending = [secrets.get('github'), secrets.get('generic'), secrets.get('github')];
    ssm.resume();
    expect(await Promise.all(pending)).toEqual([['gh'], ['gen'], ['gh']]);
    expect(ssm.calls).toHaveLength(1);
  });

  it('translates throttling and retries on the next call instead of caching the failure', async () => {
    const ssm = new FakeSsm({
      '/fleetwave/prod/github': { Value: 'gh' },
      '/fleetwave/prod/generic': { Value: 'gen' },
    });
    ssm.failWith = awsError('ThrottlingException');
    const secrets = new SsmWebhookSecrets(ssm, { parameterNames, throttleRetryAfterSeconds: 2 });
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
    const secrets = new SsmWebhookSecrets(ssm, { parameterNames, throttleRetryAfterSeconds: 1 });
    await expect(secrets.get('github')).rejects.toMatchObject({
      name: 'UpstreamError',
      upstreamName: 'AccessDeniedException',
    });
  });

  it('fails loudly, naming it, when a configured parameter does not exist', async () => {
    const ssm = new FakeSsm({ '/fleetwave/prod/github': { Value: 'gh' } });
    const secrets = new SsmWebhookSecrets(ssm, { parameterNames, throttleRetryAfterSeconds: 1 });
    const attempt = secrets.get('github');
    await expect(attempt).rejects.toBeInstanceOf(UpstreamError);
    await expect(attempt).rejects.toThrow('/fleetwave/prod/generic');
  });

  it('reads several values of a secret during a rotation', async () => {
    const ssm = new FakeSsm({
      '/fleetwave/prod/github': { Value: 'new\nold\n' },
      '/fleetwave/prod/generic': { Value: 'a,b', Type: 'StringList' },
    });
    const secrets = new SsmWebhookSecrets(ssm, { parameterNames, throttleRetryAfterSeconds: 1 });
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
    expect(config.webhookSecrets).toEqual({ source: 'ssm', parameterNames: { gitlab: '/fw/gitlab' } });
    const ssm = new FakeSsm({ '/fw/gitlab': { Value: 'from-ssm' } });
    expect(await createWebhookSecrets(config, () => ssm).get('gitlab')).toEqual(['from-ssm']);
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
