import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../lib/config.js';

describe('loadConfig', () => {
  it('fails fast naming a missing variable', () => {
    expect(() => loadConfig({})).toThrow(ConfigError);
    expect(() => loadConfig({})).toThrow(/AWS_REGION is not set/);
  });

  it('names every malformed variable', () => {
    expect(() =>
      loadConfig({ AWS_REGION: 'eu-west-1', AWS_MAX_ATTEMPTS: '0', POWERTOOLS_LOG_LEVEL: 'LOUD' }),
    ).toThrow(/POWERTOOLS_LOG_LEVEL.*AWS_MAX_ATTEMPTS|AWS_MAX_ATTEMPTS.*POWERTOOLS_LOG_LEVEL/);
  });

  it('applies defaults to optional variables', () => {
    expect(loadConfig({ AWS_REGION: 'eu-west-1' })).toEqual({
      region: 'eu-west-1',
      serviceName: 'fleetwave',
      logLevel: 'INFO',
      aws: { maxAttempts: 3, throttleRetryAfterSeconds: 1 },
    });
  });

  it('reads every variable it knows', () => {
    const c = loadConfig({
      AWS_REGION: 'eu-west-1',
      POWERTOOLS_SERVICE_NAME: 'svc',
      POWERTOOLS_LOG_LEVEL: 'debug',
      AWS_MAX_ATTEMPTS: '5',
      FLEETWAVE_THROTTLE_RETRY_AFTER_SECONDS: '4',
    });
    expect(c).toEqual({
      region: 'eu-west-1',
      serviceName: 'svc',
      logLevel: 'DEBUG',
      aws: { maxAttempts: 5, throttleRetryAfterSeconds: 4 },
    });
  });
});
