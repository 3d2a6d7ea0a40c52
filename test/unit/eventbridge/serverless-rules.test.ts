import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../local/clock/virtual-clock.js';
import {
  createEventBridgeService,
  type EventBridgeEvent,
  type FunctionRule,
  functionRulesOf,
  subscribeFunctionRules,
} from '../../../local/eventbridge/index.js';
import { parseServerlessYml } from '../../../local/serverless-yml.js';

const yml = parseServerlessYml(`
service: fleetwave
provider: { name: aws }
functions:
  createJobTemplate:
    handler: functions/api/create-job-template.handler
    events:
      - httpApi: { method: POST, path: /job-templates }
  onReleaseRequested:
    handler: functions/triggers/on-release-requested.handler
    events:
      - eventBridge:
          eventBus: !Ref ReleaseBus
          pattern:
            source: [ci.pipeline]
            detail-type: [Release Requested]
          retryPolicy: { maximumRetryAttempts: 2, maximumEventAge: 600 }
      - eventBridge:
          name: fleetwave-nightly
          pattern: { source: [ci.nightly] }
      - eventBridge:
          schedule: rate(1 hour)
  onDisabled:
    handler: functions/triggers/on-disabled.handler
    events:
      - eventBridge:
          enabled: false
          pattern: { source: [x] }
resources:
  Resources:
    ReleaseBus:
      Type: AWS::Events::EventBus
      Properties: { Name: fleetwave-releases }
`);

const clock = new VirtualClock({ start: Date.UTC(2026, 0, 1), mode: { kind: 'manual' } });
afterEach(() => clock.stop());

describe('functionRulesOf', () => {
  it('reads every enabled eventBridge pattern with its bus, name and retry policy', () => {
    expect(functionRulesOf(yml)).toEqual([
      {
        name: 'fleetwave-local-onReleaseRequested-rule-1',
        functionKey: 'onReleaseRequested',
        handler: 'functions/triggers/on-release-requested.handler',
        pattern: { source: ['ci.pipeline'], 'detail-type': ['Release Requested'] },
        eventBus: 'fleetwave-releases',
        retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 600 },
      },
      {
        name: 'fleetwave-nightly',
        functionKey: 'onReleaseRequested',
        handler: 'functions/triggers/on-release-requested.handler',
        pattern: { source: ['ci.nightly'] },
        eventBus: 'default',
      },
    ]);
  });

  it('refuses an input transformer, which would change the event the handler receives', () => {
    const withInput = parseServerlessYml(`
service: s
provider: { name: aws }
functions:
  f:
    handler: f.handler
    events:
      - eventBridge: { pattern: { source: [x] }, input: { a: 1 } }
`);
    expect(() => functionRulesOf(withInput)).toThrow(/input is not supported locally/);
  });

  it('refuses an eventBus reference it cannot resolve', () => {
    const unresolved = parseServerlessYml(`
service: s
provider: { name: aws }
functions:
  f:
    handler: f.handler
    events:
      - eventBridge: { pattern: { source: [x] }, eventBus: !Ref Missing }
`);
    expect(() => functionRulesOf(unresolved)).toThrow(/cannot resolve eventBus/);
  });

  it('names an unnamed rule as osls does: numbered among all events, from the function name, MD5-shortened past 64', () => {
    const unnamed = parseServerlessYml(`
service: fleetwave
provider: { name: aws }
functions:
  second:
    handler: f.handler
    events:
      - httpApi: { method: GET, path: /x }
      - eventBridge: { pattern: { source: [a] }, eventBus: !GetAtt [Bus, Arn] }
  named:
    handler: f.handler
    name: \${self:service}-\${sls:stage}-custom
    events:
      - eventBridge: { pattern: { source: [b] } }
  aFunctionWhoseKeyIsLongEnoughToPushTheRuleNamePastSixtyFour:
    handler: f.handler
    events:
      - eventBridge: { pattern: { source: [c] } }
resources:
  Resources:
    Bus:
      Type: AWS::Events::EventBus
      Properties:
        Name: \${self:service}-\${sls:stage}-bus
`);
    const rules = functionRulesOf(unnamed);
    expect(rules.map((r) => [r.name, r.eventBus])).toEqual([
      ['fleetwave-local-second-rule-2', 'fleetwave-local-bus'],
      ['fleetwave-local-custom-rule-1', 'default'],
      // What osls's makeAndHashRuleName gives: the name's first 25 characters, the MD5 of the whole, -rule-1.
      ['fleetwave-local-aFunctionede830e9b2da63d1260219bf5ad35b63-rule-1', 'default'],
    ]);
  });
});

describe('subscribeFunctionRules', () => {
  it("invokes the function whose pattern matches with the EventBridge event, on the rule's bus only", async () => {
    const service = createEventBridgeService({ clock, accountId: '123456789012' });
    const calls: [FunctionRule, EventBridgeEvent][] = [];
    subscribeFunctionRules(service, functionRulesOf(yml), async (rule, event) => {
      calls.push([rule, event]);
    });
    const detail = JSON.stringify({ releaseId: 'r1' });
    service.putEvents({
      Entries: [
        {
          Source: 'ci.pipeline',
          DetailType: 'Release Requested',
          Detail: detail,
          EventBusName: 'fleetwave-releases',
        },
        { Source: 'ci.pipeline', DetailType: 'Release Requested', Detail: detail },
        { Source: 'ci.nightly', DetailType: 'Nightly', Detail: detail },
      ],
    });
    await service.idle();
    expect(calls.map(([rule, event]) => [rule.name, event.source])).toEqual([
      ['fleetwave-local-onReleaseRequested-rule-1', 'ci.pipeline'],
      ['fleetwave-nightly', 'ci.nightly'],
    ]);
    expect(service.rules().map((r) => r.retryPolicy.maximumRetryAttempts)).toEqual([2, 3]);
  });
});
