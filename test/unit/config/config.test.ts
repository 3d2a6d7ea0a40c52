import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, requireSetting } from '../../../lib/config.js';

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
      stage: 'local',
      logLevel: 'INFO',
      aws: { maxAttempts: 3, throttleRetryAfterSeconds: 1 },
      iotCallsPerSecond: 8,
      iotBudgetClock: 'wall',
      resources: {},
      releaseMapSources: {},
    });
  });

  it('reads every variable it knows', () => {
    const c = loadConfig({
      AWS_REGION: 'eu-west-1',
      POWERTOOLS_SERVICE_NAME: 'svc',
      FLEETWAVE_STAGE: 'prod-eu',
      POWERTOOLS_LOG_LEVEL: 'debug',
      AWS_MAX_ATTEMPTS: '5',
      FLEETWAVE_THROTTLE_RETRY_AFTER_SECONDS: '4',
      FLEETWAVE_IOT_CALLS_PER_SECOND: '2.5',
      FLEETWAVE_IOT_BUDGET_CLOCK: 'event',
      FLEETWAVE_TABLE: 'fleetwave-dev',
      FLEETWAVE_RELEASE_STATE_MACHINE_ARN:
        'arn:aws:states:eu-west-1:111122223333:stateMachine:fleetwave-release',
    });
    expect(c).toEqual({
      region: 'eu-west-1',
      serviceName: 'svc',
      stage: 'prod-eu',
      logLevel: 'DEBUG',
      aws: { maxAttempts: 5, throttleRetryAfterSeconds: 4 },
      iotCallsPerSecond: 2.5,
      iotBudgetClock: 'event',
      resources: {
        tableName: 'fleetwave-dev',
        releaseStateMachineArn: 'arn:aws:states:eu-west-1:111122223333:stateMachine:fleetwave-release',
      },
      releaseMapSources: {},
    });
  });

  it('refuses a state machine ARN that is not one', () => {
    expect(() =>
      loadConfig({
        AWS_REGION: 'eu-west-1',
        FLEETWAVE_RELEASE_STATE_MACHINE_ARN: 'arn:aws:lambda:eu-west-1:111122223333:function:x',
      }),
    ).toThrow(/FLEETWAVE_RELEASE_STATE_MACHINE_ARN must be a state machine ARN/);
  });

  it('refuses a stage name a dimension value should not carry', () => {
    expect(() => loadConfig({ AWS_REGION: 'eu-west-1', FLEETWAVE_STAGE: 'prod eu' })).toThrow(
      /FLEETWAVE_STAGE must be a stage name/,
    );
  });

  it('turns the IoT call budget off', () => {
    expect(
      loadConfig({ AWS_REGION: 'eu-west-1', FLEETWAVE_IOT_CALLS_PER_SECOND: 'off' }).iotCallsPerSecond,
    ).toBe('off');
  });

  it.each(['0', '0.05', '-1', 'ten', '', 'OFF'])(
    'refuses an IoT call budget of %j calls per second',
    (value) => {
      expect(() => loadConfig({ AWS_REGION: 'eu-west-1', FLEETWAVE_IOT_CALLS_PER_SECOND: value })).toThrow(
        /FLEETWAVE_IOT_CALLS_PER_SECOND must be/,
      );
    },
  );

  it('names the variable a function needs when it is not set', () => {
    const c = loadConfig({ AWS_REGION: 'eu-west-1' });
    expect(() => requireSetting(c, 'tableName')).toThrow(/FLEETWAVE_TABLE is not set/);
    expect(requireSetting(loadConfig({ AWS_REGION: 'eu-west-1', FLEETWAVE_TABLE: 't' }), 'tableName')).toBe(
      't',
    );
  });
});
